package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.github.wacrm.bridge.emulator.salesforce.SalesforceSchema;

/**
 * The shipped Salesforce side of the send path: the platform event is high-volume and published after commit, and the
 * example Flow publishes it with fields the event has, only for Cases an agent created for a Contact (never the
 * bridge's own conversation Cases, which would send to every customer who writes in).
 */
class SalesforceSendMetadataTest {

    private static final Path SOURCE = Path.of("salesforce/force-app/main/default");

    @Test
    void theSendEventIsHighVolumeAndPublishedAfterCommit() throws Exception {
        Document event = xml(SOURCE.resolve("objects/WhatsApp_Send__e/WhatsApp_Send__e.object-meta.xml"));
        assertThat(text(event.getDocumentElement(), "eventType")).containsExactly("HighVolume");
        assertThat(text(event.getDocumentElement(), "publishBehavior")).containsExactly("PublishAfterCommit");
    }

    @Test
    void theExampleFlowPublishesTheEventWithItsOwnFieldsForAgentsCasesOnly() throws Exception {
        Element flow = xml(SOURCE.resolve("flows/WhatsApp_Send_On_Case_Created.flow-meta.xml")).getDocumentElement();
        Element create = (Element) flow.getElementsByTagNameNS("*", "recordCreates").item(0);
        assertThat(text(create, "object")).containsExactly("WhatsApp_Send__e");
        SalesforceSchema.SObject event = SalesforceSchema.fromMetadata(Path.of("salesforce/force-app"))
                .object("WhatsApp_Send__e").orElseThrow();
        List<String> assigned = new ArrayList<>();
        NodeList assignments = create.getElementsByTagNameNS("*", "inputAssignments");
        for (int i = 0; i < assignments.getLength(); i++) {
            assigned.addAll(text((Element) assignments.item(i), "field"));
        }
        assertThat(event.fields().keySet()).containsAll(assigned);
        assertThat(assigned).contains("Recipient_Id__c", "Template_Name__c", "Template_Language__c", "Parameters__c");

        Element start = (Element) flow.getElementsByTagNameNS("*", "start").item(0);
        assertThat(text(start, "object")).containsExactly("Case");
        assertThat(text(start, "recordTriggerType")).containsExactly("Create");
        assertThat(text(start, "triggerType")).containsExactly("RecordAfterSave");
        assertThat(text(start, "field")).contains("WhatsApp_Conversation_Key__c", "ContactId");
        assertThat(Files.readString(SOURCE.resolve("flows/WhatsApp_Send_On_Case_Created.flow-meta.xml")))
                .contains("<status>Draft</status>");
    }

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static List<String> text(Element parent, String tag) {
        List<String> out = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS("*", tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent().trim());
        }
        return out;
    }
}
