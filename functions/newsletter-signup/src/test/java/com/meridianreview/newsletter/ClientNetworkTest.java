package com.meridianreview.newsletter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The per-client limit counts a household, not one of the addresses its line hands out. */
class ClientNetworkTest {

    @Test
    void anIpv6ClientCountsByItsSlash64AndAnIpv4ClientByItsAddress() {
        assertEquals(NewsletterHandler.network("2001:db8:1:2:aaaa::1"), NewsletterHandler.network("2001:db8:1:2:bbbb:cccc:dddd:eeee"));
        assertEquals("2001:db8:1:2:0:0:0:0/64", NewsletterHandler.network("[2001:db8:1:2::9]"));
        assertEquals("198.51.100.7", NewsletterHandler.network("198.51.100.7"));
        assertEquals("not-an-address", NewsletterHandler.network("not-an-address"), "and nothing odd is looked up");
    }
}
