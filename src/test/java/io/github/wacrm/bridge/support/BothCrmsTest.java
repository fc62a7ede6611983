package io.github.wacrm.bridge.support;

import org.junit.jupiter.api.BeforeEach;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;

/**
 * Base of the tests that look at what reached both CRMs: the shared Salesforce org and HubSpot portal, the portal set
 * up (the HubSpot sink and its media and call routes started) before each test. No configuration of its own: the
 * Spring context stays the suite's one.
 */
public abstract class BothCrmsTest extends BridgeIntegrationTest {

    protected final SalesforceEmulator salesforce = DevServices.get().salesforce();
    protected final HubSpotPortal portal = DevServices.get().hubspot().portal();

    @BeforeEach
    void bothCrmsReady() throws Exception {
        hubSpotPortalReady();
    }
}
