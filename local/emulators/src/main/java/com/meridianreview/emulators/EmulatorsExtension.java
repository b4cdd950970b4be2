package com.meridianreview.emulators;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit extension that starts the emulators once per test JVM and hands each test class a
 * {@link TestResources} with a name prefix of its own, so classes never see each other's tables
 * or buckets. The emulators stop when the JVM does (JUnit closes the root store; the process
 * shutdown hook covers aborted runs).
 */
public final class EmulatorsExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmulatorsExtension.class);
    private static final AtomicInteger CLASSES = new AtomicInteger();

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Emulators.class || type == TestResources.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Emulators emulators = context.getRoot().getStore(NAMESPACE)
                .computeIfAbsent(Emulators.class, key -> Emulators.inMemory(), Emulators.class);
        if (parameter.getParameter().getType() == Emulators.class) {
            return emulators;
        }
        ExtensionContext classContext = context.getTestClass().isPresent() && context.getTestMethod().isPresent()
                ? context.getParent().orElse(context) : context;
        return classContext.getStore(NAMESPACE).computeIfAbsent(TestResources.class,
                key -> new TestResources(emulators, prefixFor(context)), TestResources.class);
    }

    private static String prefixFor(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (name.length() > 20) {
            name = name.substring(0, 20);
        }
        return "t" + CLASSES.incrementAndGet() + name + "-";
    }
}
