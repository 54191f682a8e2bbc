"""The linear bracket scan answers exactly as Python-Markdown's own, and pages render the same with it."""

import random

import markdown

from hls_site import bracket_scan


def test_markdowns_own_scan_is_kept_to_compare_with():
    assert isinstance(bracket_scan.MARKDOWNS_OWN, staticmethod)
    assert bracket_scan.MARKDOWNS_OWN.__func__ is not bracket_scan.find_bracket_ends


def test_the_scan_agrees_with_markdowns_own_on_random_text():
    markdowns_own = bracket_scan.MARKDOWNS_OWN.__func__
    rng = random.Random(20261207)
    texts = ["", "[", "]", "[]", "][", "[[]", "[]]", "a[b[c]d]e]f[", "\\[S1\\]"]
    texts += ["".join(rng.choice("[]ab\\\x02 ") for _ in range(rng.randint(0, 80))) for _ in range(5000)]
    for text in texts:
        assert bracket_scan.find_bracket_ends(text) == markdowns_own(text), repr(text)


def test_a_listing_renders_the_same_with_the_scan_installed():
    text = "\n".join(f"- [Case {i} [draft]](../cases/c{i}.md) (Place): a note [\\[S1\\]](../cases/c{i}.md#source-1)"
                     f"[\\[S2\\]](../cases/c{i}.md#source-2) and [unclosed" for i in range(50))
    bracket_scan.uninstall()
    try:
        theirs = markdown.markdown(text)
    finally:
        bracket_scan.install()
    ours = markdown.markdown(text)
    assert ours == theirs and ours.count("<a ") == 150
