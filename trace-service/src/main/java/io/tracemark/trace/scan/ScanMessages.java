package io.tracemark.trace.scan;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What the scan pages say, in English; {@link ScanMessagesZh} says it in Chinese. Templates use
 * them as {@code {scan:name(...)}}, and Qute checks every use at build time.
 */
@MessageBundle(value = "scan", locale = "en")
public interface ScanMessages {

    @Message("Is this product genuine?")
    String verdictHeading();

    @Message("{#when verdict}{#is 'genuine'}Genuine code"
            + "{#is 'never_issued'}Unknown code: possibly counterfeit"
            + "{#is 'not_in_circulation'}Code not in circulation: possibly counterfeit"
            + "{#is 'voided'}Cancelled code"
            + "{#is 'recalled'}Recalled product"
            + "{#is 'sold_scanned_far_away'}Already sold elsewhere"
            + "{#else}{verdict}{/when}")
    String verdict(String verdict);

    @Message("{#when verdict}{#is 'genuine'}The brand's registry issued this code and its record shows nothing unusual."
            + " You can use the product as intended."
            + "{#is 'never_issued'}The brand's registry never issued this code. Do not use the product:"
            + " keep it and your receipt, and tell the shop or the brand where you bought it."
            + "{#is 'not_in_circulation'}The brand's registry issued this code, but no product carrying it has left"
            + " the factory: a genuine product would not carry it yet. Do not use the product: keep it and your"
            + " receipt, and tell the shop or the brand where you bought it."
            + "{#is 'voided'}This code was cancelled at the factory and should not be on any product."
            + " Do not use the product, and tell the shop or the brand where you bought it."
            + "{#is 'recalled'}The brand has recalled this product. Stop using it and follow the brand's"
            + " recall instructions, or return it to the shop."
            + "{#is 'sold_scanned_far_away'}This item was already sold in a shop far from where you are scanning"
            + " it, so its code may have been copied. Check the packaging, and if in doubt ask the seller or the"
            + " brand.{#else}{/when}")
    String advice(String verdict);

    @Message("Where and when it was made")
    String originHeading();

    @Message("Factory")
    String factory();

    @Message("Production line")
    String line();

    @Message("Batch (lot)")
    String lot();

    @Message("Production date")
    String productionDate();

    @Message("Best before / expiry")
    String expiryDate();

    @Message("Its journey")
    String journeyHeading();

    @Message("No steps recorded yet.")
    String noJourney();

    @Message("{#when step}{#is 'commissioning'}Made and marked"
            + "{#is 'packing'}Packed{#is 'unpacking'}Unpacked"
            + "{#is 'shipping'}Shipped{#is 'receiving'}Received"
            + "{#is 'retail_selling'}Sold{#is 'holding'}Held back"
            + "{#is 'decommissioning'}Taken out of use{#is 'destroying'}Destroyed"
            + "{#else}{step}{/when}")
    String step(String step);

    @Message("to {place}")
    String destination(String place);

    @Message("Where it was sold")
    String soldHeading();

    @Message("Sold at {place} on {time}.")
    String soldAt(String place, String time);

    @Message("No sale has been recorded for this item yet.")
    String notSold();

    @Message("Earlier scans")
    String scansHeading();

    @Message("This is the first scan of this code.")
    String firstScan();

    @Message("This code was scanned {#if more}more than {count} times{#else if once}once{#else}{count} times{/if}"
            + " before, first on {firstOn}{#if firstCountry} in {firstCountry}{/if}. If you have just bought the"
            + " product and did not scan it yourself, its code may have been copied.")
    String earlierScans(long count, boolean once, boolean more, String firstOn, String firstCountry);

    @Message("Code")
    String code();

    @Message("Product number (GTIN)")
    String gtin();

    @Message("Serial number")
    String serial();

    @Message("Scan a code from a photo")
    String photoHeading();

    @Message("Photograph the QR code or Data Matrix on the product (on a computer, choose a picture of it)."
            + " JPEG or PNG, up to {megabytes} MB.")
    String photoHint(long megabytes);

    @Message("Photo of the code")
    String photoLabel();

    @Message("Read the code")
    String photoSubmit();

    @Message("Data for apps")
    String appData();

    @Message("{#when kind}{#is 'unreadable-photo'}No code could be read in this photo"
            + "{#is 'foreign-code'}This is not one of our codes"
            + "{#is 'too-many-requests'}Too many scans from your connection"
            + "{#is 'payload-too-large'}This photo is too large"
            + "{#is 'unsupported-media-type'}This file is not a photo we can read"
            + "{#is 'validation-failed'}This is not a valid product code"
            + "{#is 'not-found'}Nothing found here"
            + "{#else}Something went wrong{/when}")
    String problemTitle(String kind);

    @Message("{#when kind}{#is 'unreadable-photo'}Hold the phone steady, fill the picture with the code, avoid glare,"
            + " and try again."
            + "{#is 'foreign-code'}The photo holds a code, but not one issued by this brand's registry: it may be"
            + " another site's address or another company's code. If it is the only code on the product, the"
            + " product may not be genuine: ask the shop or the brand."
            + "{#is 'too-many-requests'}Please wait {seconds} seconds, then try again."
            + "{#is 'payload-too-large'}Send a smaller photo: crop it to the code, or lower the camera's resolution."
            + "{#is 'unsupported-media-type'}Choose a JPEG or PNG picture of the code."
            + "{#is 'validation-failed'}Scan the code again. If this page appears again, the code may be damaged or"
            + " may not belong to a genuine product."
            + "{#is 'not-found'}Check the address, or scan the code again."
            + "{#else}Please try again in a moment.{/when}")
    String problemAdvice(String kind, long seconds);

    @Message("Details")
    String problemDetail();
}
