package com.meridianreview.page;

import java.io.StringWriter;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * An XML document built element by element with the JDK's stream writer, which escapes markup in
 * text and attribute values. Feeds and sitemaps carry editors' text, so characters XML 1.0 cannot
 * hold at all (control characters, lone surrogates) are dropped rather than making the document
 * unreadable to every feed reader and crawler.
 */
final class XmlDocument {

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();
    private static final Pattern NOT_XML = Pattern.compile("[^\\x09\\x0A\\x0D\\x20-\\x{D7FF}\\x{E000}-\\x{FFFD}\\x{10000}-\\x{10FFFF}]");

    private final StringWriter out;
    private final XMLStreamWriter xml;
    private final java.util.Map<String, String> namespaces = new java.util.HashMap<>();

    XmlDocument(int expectedChars) {
        out = new StringWriter(expectedChars);
        try {
            xml = FACTORY.createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The root element, declaring its default namespace and any prefixed ones ({prefix, uri} pairs). */
    XmlDocument root(String name, String namespace, String... prefixed) {
        return run(() -> {
            xml.writeStartElement(name);
            if (namespace != null) {
                xml.writeDefaultNamespace(namespace);
            }
            for (int i = 0; i + 1 < prefixed.length; i += 2) {
                xml.writeNamespace(prefixed[i], prefixed[i + 1]);
                namespaces.put(prefixed[i], prefixed[i + 1]);
            }
        });
    }

    XmlDocument start(String name) {
        return run(() -> xml.writeStartElement(name));
    }

    /** An element whose name carries a prefix the root declared, as in {@code news:title}. */
    XmlDocument start(String prefix, String name) {
        return run(() -> xml.writeStartElement(prefix, name, namespaces.get(prefix)));
    }

    XmlDocument attribute(String name, String value) {
        return run(() -> xml.writeAttribute(name, clean(value)));
    }

    XmlDocument end() {
        return run(xml::writeEndElement);
    }

    XmlDocument element(String name, String text) {
        return run(() -> {
            xml.writeStartElement(name);
            xml.writeCharacters(clean(text));
            xml.writeEndElement();
        });
    }

    XmlDocument element(String prefix, String name, String text) {
        return start(prefix, name).run(() -> xml.writeCharacters(clean(text))).end();
    }

    XmlDocument empty(String prefix, String name) {
        return run(() -> xml.writeEmptyElement(prefix, name, namespaces.get(prefix)));
    }

    XmlDocument text(String text) {
        return run(() -> xml.writeCharacters(clean(text)));
    }

    XmlDocument newline() {
        return run(() -> xml.writeCharacters("\n"));
    }

    String finish() {
        run(() -> {
            xml.writeEndDocument();
            xml.close();
        });
        return out.append('\n').toString();
    }

    static String clean(String text) {
        return text == null ? "" : NOT_XML.matcher(text).replaceAll("");
    }

    private interface Step {
        void run() throws XMLStreamException;
    }

    private XmlDocument run(Step step) {
        try {
            step.run();
        } catch (XMLStreamException e) {
            // Writing to a string cannot fail for want of I/O; only a misuse of the writer gets here.
            throw new IllegalStateException(e);
        }
        return this;
    }
}
