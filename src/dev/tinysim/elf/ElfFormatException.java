package dev.tinysim.elf;

/** The file is not an ELF image tinysim can load; the message names the file and the problem. */
public class ElfFormatException extends Exception {
    public ElfFormatException(String message) {
        super(message);
    }
}
