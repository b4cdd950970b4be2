package com.meridianreview.subscribers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmailAddressTest {

    @Test
    void addressesAreTrimmedTheirDomainsLowerCasedAndInternationalNamesEncoded() {
        assertEquals("Ana.Editor+news@example.org", parse("  Ana.Editor+news@EXAMPLE.Org \\n".replace("\\n", "\n")));
        assertEquals("leser@xn--mller-kva.de", parse("leser@müller.de"));
        assertEquals("a@xn--fsqu00a.xn--0zwm56d", parse("a@例子.测试"));
        assertEquals(parse("Ana@example.org"), parse("Ana@Example.ORG"));
        assertEquals(new EmailAddress("Ana@example.org").id(), new EmailAddress("ana@example.org").id(), "one reader, whatever the case");
    }

    @Test
    void whatCannotBeMailedIsRefusedWithAReason() {
        for (String bad : List.of("", "   ", "plain", "@example.org", "a@", "a@b", "a@localhost", "a..b@example.org", ".a@example.org",
                "a.@example.org", "a b@example.org", "\"quoted\"@example.org", "a@-example.org", "a@example..org", "a@example.123",
                "a@exa_mple.org", "ä@example.org", "a@example.org\u0000", "x".repeat(65) + "@example.org",
                "a@" + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(63) + ".org")) {
            EmailAddress.Result result = EmailAddress.parse(bad);
            assertTrue(result.address().isEmpty(), bad);
            assertFalse(result.problem().isBlank(), bad);
        }
    }

    @Test
    void anAddressNeverPrintsItself() {
        assertFalse(new EmailAddress("ana@example.org").toString().contains("ana"));
    }

    private static String parse(String text) {
        return EmailAddress.parse(text).address().orElseThrow(() -> new AssertionError(text)).value();
    }
}
