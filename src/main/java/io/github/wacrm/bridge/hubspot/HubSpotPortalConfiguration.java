package io.github.wacrm.bridge.hubspot;

import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CALLS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.COMMUNICATIONS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.CONTACTS;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.NOTES;
import static io.github.wacrm.bridge.hubspot.HubSpotSchema.TICKETS;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the sink assumes about the portal besides its properties, checked against the portal before the sink starts:
 * each association type id it writes ({@code whatsapp.hubspot.association-types}) is a HUBSPOT_DEFINED type the
 * portal lists between those objects ({@code GET /crm/v4/associations/{from}/{to}/labels}), and the ticket pipeline
 * and stages it uses ({@code whatsapp.hubspot.tickets}) exist ({@code GET /crm/v3/pipelines/tickets}). A wrong id
 * would otherwise fail every association call; a wrong stage every new ticket.
 */
final class HubSpotPortalConfiguration {

    /** One GET on the portal, answering its JSON. */
    @FunctionalInterface
    interface Portal {
        JsonNode get(String path) throws IOException, InterruptedException;
    }

    private final HubSpotProperties properties;

    HubSpotPortalConfiguration(HubSpotProperties properties) {
        this.properties = properties;
    }

    /** One association the sink writes: between which objects, the setting that names its type id, the id. */
    private record Association(String from, String to, String setting, int typeId) {
    }

    /** What differs from the configuration, each said with what the portal has instead; empty when all is there. */
    List<String> problems(Portal portal) throws IOException, InterruptedException {
        HubSpotProperties.AssociationTypes types = properties.associationTypes();
        List<Association> used = new ArrayList<>(List.of(
                new Association(COMMUNICATIONS, CONTACTS, "communication-to-contact", types.communicationToContact()),
                new Association(NOTES, CONTACTS, "note-to-contact", types.noteToContact()),
                new Association(CALLS, CONTACTS, "call-to-contact", types.callToContact())));
        if (properties.tickets().enabled()) {
            used.add(new Association(COMMUNICATIONS, TICKETS, "communication-to-ticket", types.communicationToTicket()));
            used.add(new Association(TICKETS, CONTACTS, "ticket-to-contact", types.ticketToContact()));
        }
        List<String> problems = new ArrayList<>();
        for (Association association : used) {
            TreeSet<Integer> defined = new TreeSet<>();
            for (JsonNode label : portal.get(properties.associationsPath(association.from(), association.to(), "/labels"))
                    .path("results")) {
                if ("HUBSPOT_DEFINED".equals(label.path("category").asText())) {
                    defined.add(label.path("typeId").asInt());
                }
            }
            if (!defined.contains(association.typeId())) {
                problems.add("whatsapp.hubspot.association-types." + association.setting() + " is "
                        + association.typeId() + ", but the portal's HUBSPOT_DEFINED types from " + association.from()
                        + " to " + association.to() + " are " + defined);
            }
        }
        if (properties.tickets().enabled()) {
            problems.addAll(pipelineProblems(portal.get(properties.pipelinesPath(TICKETS))));
        }
        return problems;
    }

    private List<String> pipelineProblems(JsonNode pipelines) {
        HubSpotProperties.Tickets tickets = properties.tickets();
        List<String> ids = new ArrayList<>();
        for (JsonNode pipeline : pipelines.path("results")) {
            ids.add(pipeline.path("id").asText());
            if (!tickets.pipeline().equals(pipeline.path("id").asText())) {
                continue;
            }
            List<String> stages = new ArrayList<>();
            pipeline.path("stages").forEach(stage -> stages.add(stage.path("id").asText()));
            List<String> problems = new ArrayList<>();
            List<String> used = new ArrayList<>(tickets.closedStages());
            used.add(0, tickets.stage());
            for (String stage : used) {
                if (!stages.contains(stage)) {
                    problems.add("the ticket stage " + stage + " (whatsapp.hubspot.tickets.stage / closed-stages) is not a "
                            + "stage of pipeline " + tickets.pipeline() + ", whose stages are " + stages);
                }
            }
            return problems;
        }
        return List.of("the ticket pipeline " + tickets.pipeline() + " (whatsapp.hubspot.tickets.pipeline) is not in the "
                + "portal, whose ticket pipelines are " + ids);
    }
}
