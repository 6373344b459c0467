package dev.tinysim.compare;

/**
 * Renders a comparison as a document (the HTML report of {@code tinysim demo}, {@code compare --html} and
 * {@code --format html}). The command line
 * injects the implementation ({@code cli.Renderers}: {@code html.HtmlReport}); compare does not know it.
 */
public interface ReportRenderer {
    /** The document for the report (a complete HTML page, self-contained). */
    String render(CompareReport report);

    /** The document for a fit report ({@code tinysim fit --format html}). */
    String render(FitReport report);

    /** File name extension, without the dot ("html"). */
    String extension();
}
