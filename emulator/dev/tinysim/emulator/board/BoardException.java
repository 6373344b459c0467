package dev.tinysim.emulator.board;

/** A board profile is missing, unreadable or invalid; the message names the file and the field. */
public class BoardException extends Exception {
    public BoardException(String message) {
        super(message);
    }
}
