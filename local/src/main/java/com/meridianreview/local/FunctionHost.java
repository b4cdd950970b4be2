package com.meridianreview.local;

import com.amazonaws.services.lambda.runtime.Context;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.util.Map;

/**
 * One function as Lambda would hold it: its deployment jar on a class loader of its own (so it
 * sees only what it ships), its handler built once with the template's environment, and
 * invocations that pass event bytes in and response bytes out.
 *
 * <p>Lambda builds a handler with its no-argument constructor and reads the process environment;
 * one JVM here hosts every function, so the runner uses the handler's public constructor that takes
 * the environment as a map, and fails clearly when there is none.
 */
final class FunctionHost implements AutoCloseable {

    private static final String LAMBDA_RUNTIME_PACKAGE = "com.amazonaws.services.lambda.runtime.";

    private final SamApplication.Function function;
    private final String functionName;
    private final URLClassLoader loader;
    private final Object handler;
    private final Method handle;

    private FunctionHost(SamApplication.Function function, String functionName, URLClassLoader loader, Object handler, Method handle) {
        this.function = function;
        this.functionName = functionName;
        this.loader = loader;
        this.handler = handler;
        this.handle = handle;
    }

    static FunctionHost load(SamApplication.Function function, String functionName, Map<String, String> environment) {
        String id = function.logicalId();
        if (!Files.isRegularFile(function.codeUri())) {
            throw new TemplateException(id + ": CodeUri " + function.codeUri() + " does not exist; build the functions first (mvn install -DskipTests)");
        }
        URLClassLoader loader;
        try {
            loader = new URLClassLoader("function-" + id, new URL[] {function.codeUri().toUri().toURL()}, new LambdaRuntimeOnly());
        } catch (MalformedURLException e) {
            throw new TemplateException(id + ": CodeUri " + function.codeUri() + " is not a usable path");
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Class<?> type = Class.forName(function.handlerClass(), true, loader);
            Method handle = type.getMethod(function.handlerMethod(), InputStream.class, OutputStream.class, Context.class);
            Constructor<?> constructor = type.getConstructor(Map.class);
            Object handler = constructor.newInstance(environment);
            return new FunctionHost(function, functionName, loader, handler, handle);
        } catch (ClassNotFoundException e) {
            throw new TemplateException(id + ": Handler class " + function.handlerClass() + " is not in " + function.codeUri().getFileName());
        } catch (NoSuchMethodException e) {
            throw new TemplateException(id + ": " + function.handlerClass() + " needs public " + function.handlerMethod()
                    + "(InputStream, OutputStream, Context) and a public constructor taking the environment as a Map");
        } catch (InvocationTargetException e) {
            throw new TemplateException(id + ": " + function.handlerClass() + " failed to start: " + e.getCause());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new TemplateException(id + ": cannot load " + function.handlerClass() + ": " + e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    SamApplication.Function function() {
        return function;
    }

    /** Calls the handler with one event, as Lambda's runtime does; the thread's class loader is the function's. */
    byte[] invoke(byte[] event, String requestId) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            handle.invoke(handler, new ByteArrayInputStream(event), out,
                    new LambdaContext(requestId, function, functionName, Long.parseLong(function.timeout()) * 1000));
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } finally {
            thread.setContextClassLoader(previous);
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }

    /** Parent of each function's loader: the JDK, plus the Lambda runtime interfaces the runner implements. */
    private static final class LambdaRuntimeOnly extends ClassLoader {
        LambdaRuntimeOnly() {
            super("lambda-runtime", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(LAMBDA_RUNTIME_PACKAGE)) {
                return FunctionHost.class.getClassLoader().loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
