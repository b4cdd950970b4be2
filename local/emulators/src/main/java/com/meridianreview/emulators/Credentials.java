package com.meridianreview.emulators;

/** The access key both emulators accept; S3Proxy checks signatures made with it. */
public record Credentials(String accessKeyId, String secretAccessKey) {
    public static final Credentials LOCAL = new Credentials("AKIDLOCALMERIDIAN", "local-emulator-secret");
}
