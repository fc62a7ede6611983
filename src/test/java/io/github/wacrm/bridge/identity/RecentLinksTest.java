package io.github.wacrm.bridge.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class RecentLinksTest {

    @Test
    void aLinkAndAnAbsentLinkAreRememberedAndForgotten() {
        RecentLinks links = new RecentLinks(10, 60_000);
        assertThat(links.get("a")).as("never asked").isNull();
        links.put("a", Optional.of("phone:+1"));
        links.put("b", Optional.empty());
        assertThat(links.get("a")).contains("phone:+1");
        assertThat(links.get("b")).as("known to have no link").isEmpty();
        links.forget("a");
        assertThat(links.get("a")).isNull();
    }

    @Test
    void oldEntriesAreAskedForAgainAndTheLeastRecentlyUsedGoFirst() throws Exception {
        RecentLinks shortLived = new RecentLinks(10, 1);
        shortLived.put("a", Optional.of("x"));
        Thread.sleep(5);
        assertThat(shortLived.get("a")).isNull();
        RecentLinks small = new RecentLinks(2, 60_000);
        small.put("a", Optional.of("1"));
        small.put("b", Optional.of("2"));
        small.get("a");
        small.put("c", Optional.of("3"));
        assertThat(small.get("b")).as("least recently used, dropped").isNull();
        assertThat(small.get("a")).contains("1");
    }
}
