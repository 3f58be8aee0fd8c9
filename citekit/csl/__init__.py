"""citekit's CSL layer over citeproc-py.

citeproc-py parses a CSL style into an lxml tree of element classes and renders
items through it. citekit parses its styles with its *own* element lookup
(:mod:`citekit.csl.style`), so every correction made here applies to styles
loaded through citekit only; importing citekit leaves citeproc-py unchanged for
any other code in the process.

Modules, one per concern:

* :mod:`citekit.csl.catalog` -- finding styles and locales;
* :mod:`citekit.csl.style` -- loading a style safely, element lookup;
* :mod:`citekit.csl.output` -- the text, HTML and Markdown output formats.
"""
