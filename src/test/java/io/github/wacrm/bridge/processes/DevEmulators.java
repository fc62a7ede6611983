package io.github.wacrm.bridge.processes;

import java.util.concurrent.CountDownLatch;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;

/**
 * The Salesforce and HubSpot emulators in a process of their own (the dev services command starts it), so they keep
 * their records while the broker, PostgreSQL or the bridge restart. Arguments: the Salesforce port, the HubSpot port,
 * and optionally the one HubSpot token to accept (the contract tests check it); without it the HubSpot emulator
 * accepts any token, as in the local run.
 */
public final class DevEmulators {

    public static final String READY = "emulators ready";

    private DevEmulators() {
    }

    public static void main(String[] args) throws InterruptedException {
        int salesforcePort = args.length > 0 ? Integer.parseInt(args[0]) : 8091;
        int hubspotPort = args.length > 1 ? Integer.parseInt(args[1]) : 8092;
        SalesforceEmulator salesforce = SalesforceEmulator.start(salesforcePort);
        HubSpotEmulator hubspot = HubSpotEmulator.start(hubspotPort, args.length > 2 ? args[2] : null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            salesforce.close();
            hubspot.close();
        }, "emulators-stop"));
        System.out.println(READY + ": Salesforce " + salesforce.baseUrl() + ", HubSpot " + hubspot.baseUrl());
        new CountDownLatch(1).await();
    }
}
