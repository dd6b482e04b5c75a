package io.tracemark.bench.marking;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

import io.tracemark.fixtures.MqttBroker;
import io.tracemark.marker.transport.MqttSettings;

/**
 * The MQTT link's own limit: two bare Paho clients through the same Mosquitto, one publishing a
 * request at QoS 1 and waiting for the broker's PUBACK and then for the reply, the other publishing
 * the reply at QoS 1 from its message callback. Same broker, QoS, session kinds and socket options
 * (Nagle off) as the driver and the simulated marker, and messages of the sizes of an enqueue
 * command and its reply; nothing else: no JSON, no hand-off between threads, no state or events.
 */
final class MqttEchoLoop {

    private static final long WAIT_MILLIS = 5_000;

    private MqttEchoLoop() {
    }

    static BaselineRun run(int warmup, int exchanges, int requestBytes, int replyBytes) throws InterruptedException {
        String variant = "bare Paho request/response";
        MqttSettings driverSide = MqttBroker.newStation();
        MqttSettings markerSide = MqttBroker.markerSide(driverSide);
        byte[] request = filled(requestBytes);
        byte[] reply = filled(replyBytes);
        BlockingQueue<Long> replies = new LinkedBlockingQueue<>();
        MqttAsyncClient requester = null;
        MqttAsyncClient responder = null;
        try {
            responder = connect(markerSide);
            MqttAsyncClient replying = responder;
            String replyTopic = markerSide.topic("reply");
            responder.setCallback(callback((topic, message) -> {
                try {
                    replying.publish(replyTopic, reply, 1, false);
                } catch (MqttException e) {
                    throw new IllegalStateException("the responder could not publish its reply", e);
                }
            }));
            responder.subscribe(markerSide.topic("cmd"), 1).waitForCompletion(WAIT_MILLIS);
            requester = connect(driverSide);
            requester.setCallback(callback((topic, message) -> replies.add(System.nanoTime())));
            requester.subscribe(driverSide.topic("reply"), 1).waitForCompletion(WAIT_MILLIS);

            String requestTopic = driverSide.topic("cmd");
            long[] roundTrips = new long[exchanges];
            CpuSample first = null;
            long start = 0;
            for (int i = -warmup; i < exchanges; i++) {
                if (i == 0) {
                    first = CpuSample.take();
                    start = System.nanoTime();
                }
                long sent = System.nanoTime();
                requester.publish(requestTopic, request, 1, false).waitForCompletion(WAIT_MILLIS);
                Long answered = replies.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                if (answered == null) {
                    return BaselineRun.failed(variant, requestBytes, replyBytes, "no reply within " + WAIT_MILLIS
                            + " ms at exchange " + i);
                }
                if (i >= 0) {
                    roundTrips[i] = answered - sent;
                }
            }
            long elapsed = System.nanoTime() - start;
            CpuSample last = CpuSample.take();
            return BaselineRun.of(variant, requestBytes, replyBytes, roundTrips, elapsed, first, last, true);
        } catch (MqttException | IOException e) {
            return BaselineRun.failed(variant, requestBytes, replyBytes, e.toString());
        } finally {
            close(requester);
            close(responder);
            MqttBroker.forget(driverSide);
        }
    }

    private static MqttAsyncClient connect(MqttSettings settings) throws MqttException, IOException {
        MqttAsyncClient client = new MqttAsyncClient(settings.brokerUrl(), settings.clientId(), new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(settings.cleanSession());
        options.setKeepAliveInterval(settings.keepAliveSeconds());
        options.setConnectionTimeout(settings.connectTimeoutSeconds());
        options.setSocketFactory(settings.socketFactory());
        client.connect(options).waitForCompletion(WAIT_MILLIS);
        return client;
    }

    private interface Arrival {
        void arrived(String topic, MqttMessage message);
    }

    private static MqttCallback callback(Arrival arrival) {
        return new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                arrival.arrived(topic, message);
            }

            @Override
            public void connectionLost(Throwable cause) {
                // The loop notices by waiting for a reply in vain, and says so.
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
                // The requester waits on its token; the responder does not wait.
            }
        };
    }

    private static byte[] filled(int size) {
        byte[] bytes = new byte[Math.max(1, size)];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }

    private static void close(MqttAsyncClient client) {
        if (client == null) {
            return;
        }
        try {
            client.disconnect(0).waitForCompletion(WAIT_MILLIS);
        } catch (MqttException e) {
            // Gone already: closing below frees what is left.
        }
        try {
            client.close();
        } catch (MqttException e) {
            // Its threads end with the socket.
        }
    }
}
