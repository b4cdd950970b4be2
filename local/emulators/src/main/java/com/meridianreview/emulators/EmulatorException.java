package com.meridianreview.emulators;

/** An emulator could not be started; the message is meant for a person, in one line. */
public final class EmulatorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EmulatorException(String message) {
        super(message);
    }
}
