package io.tracemark.trace.demo;

import java.util.stream.Collectors;

/** The demo's closing words: what happened, three codes to scan, and the console's sign-in. */
final class DemoPrintout {

    /** Who signs in to the console, and with what password, or where to find it. */
    record SignIn(String username, String password) {
    }

    private static final String RULE = "-".repeat(100);

    private final DemoOutput output;

    DemoPrintout(DemoOutput output) {
        this.output = output;
    }

    void print(DemoReport report, String localBase, String resolverBase, SignIn signIn) {
        output.println("");
        output.println(RULE);
        output.println((report.retold() ? "Tracemark demo (told again: the batch an earlier start made). "
                : "Tracemark demo. ") + report.product() + ", lot " + report.lot() + ": " + report.items()
                + " items marked by the simulated laser on " + DemoWorld.FACTORY.name() + "'s line "
                + DemoWorld.LINE_CODE + " over MQTT,");
        output.println("each photographed and verified, commissioned, packed into " + report.cases()
                + " cases on a pallet and sent");
        output.println(DemoWorld.FACTORY.name() + " -> " + DemoWorld.WAREHOUSE.name() + " -> "
                + DemoWorld.DISTRIBUTOR.name() + " -> " + DemoWorld.SHOP_A.name() + " / " + DemoWorld.SHOP_B.name()
                + "; " + report.sold() + " sold.");
        output.println("Codes voided on the line: " + voids(report) + ".");
        output.println("Codes to scan, as etched (Accept: application/json gives an item's story as data):");
        output.println("  sold at " + DemoWorld.SHOP_A.name() + ":        " + report.soldItem());
        output.println("  on the shelf at " + DemoWorld.SHOP_B.name() + ": " + report.shelfItem());
        output.println("  in " + DemoWorld.WAREHOUSE.name() + ":                 " + report.warehouseItem());
        if (!resolverBase.equals(localBase)) {
            // The codes carry the configured resolver, which may not be this process on this machine.
            output.println("  (codes name " + resolverBase + "; here the same paths answer at " + localBase + ")");
        }
        output.println("Console: " + localBase + "/console/  user " + signIn.username() + ", password "
                + signIn.password());
        output.println(RULE);
        output.println("");
    }

    /** The voids by the reason the registry holds for them: "none", or "21 (reject gate: 20, ...)". */
    static String voids(DemoReport report) {
        if (report.voids().isEmpty()) {
            return "none";
        }
        return report.voided() + " (" + report.voids().entrySet().stream()
                .map(reason -> reason.getKey() + ": " + reason.getValue())
                .collect(Collectors.joining("; ")) + ")";
    }
}
