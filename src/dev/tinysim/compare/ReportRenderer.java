package dev.tinysim.compare;

import java.util.Optional;

/**
 * Renders a comparison as a document (the HTML report of {@code tinysim demo}, {@code compare --html} and
 * {@code --format html}): {@link dev.tinysim.html.HtmlReport}.
 */
public interface ReportRenderer {
    /** The document for the report (a complete HTML page, self-contained). */
    String render(CompareReport report);

    /** The document for a fit report ({@code tinysim fit --format html}). */
    String render(FitReport report);

    /** File name extension, without the dot ("html"). */
    String extension();

    /** The HTML renderer; its page records the running command's line ({@link dev.tinysim.cli.Invocation}). */
    static Optional<ReportRenderer> html() {
        return Optional.of(new dev.tinysim.html.HtmlReport(dev.tinysim.cli.Invocation.args()));
    }
}
