"""Hostile inputs to the models (issue 17, item 6): GraphML in any encoding, tiny thresholds phi,
invalid crowds.

* `org.read_graphml` refuses a DTD or entities (billion laughs, external entities) in every
  encoding XML allows, and loads plain GraphML in UTF-8, UTF-16 and UTF-32;
* `cascade_window` and `cascade_probability` answer for any phi in (0, 1], down to 5e-324, with
  bounded work (checked by memory, not by a timer), or refuse naming z;
* `granovetter_equilibrium` (and `riot_rounds`) refuse an invalid crowd naming the parameter.
"""

import codecs
import math
import tracemalloc
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special, stats

from senge_course import files
from senge_course.models import org
from senge_course.models.cascades import (
    cascade_probability,
    cascade_probability_curve,
    cascade_window,
    vulnerable_degree,
)
from senge_course.models.contagion import THRESHOLD_SLACK
from senge_course.models.crowd import granovetter_equilibrium, riot_rounds

# ----------------------------------------------------------------------------- GraphML

DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"

#: name: (Python codec, byte-order mark, the encoding the XML declaration names)
ENCODINGS = {
    "utf-8": ("utf-8", b"", "utf-8"),
    "utf-8 with BOM": ("utf-8", codecs.BOM_UTF8, "utf-8"),
    "utf-16-le with BOM": ("utf-16-le", codecs.BOM_UTF16_LE, "UTF-16"),
    "utf-16-be with BOM": ("utf-16-be", codecs.BOM_UTF16_BE, "UTF-16"),
    "utf-16-le without BOM": ("utf-16-le", b"", "UTF-16"),
    "utf-16-be without BOM": ("utf-16-be", b"", "UTF-16"),
    "utf-32-le with BOM": ("utf-32-le", codecs.BOM_UTF32_LE, "UTF-32"),
    "utf-32-be with BOM": ("utf-32-be", codecs.BOM_UTF32_BE, "UTF-32"),
    "utf-32-le without BOM": ("utf-32-le", b"", "UTF-32"),
    "latin-1": ("latin-1", b"", "ISO-8859-1"),
    "utf-7": ("utf-7", b"", "UTF-7"),
}

GRAPH = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
    '<key id="d0" for="node" attr.name="label" attr.type="string"/>'
    '<graph edgedefault="undirected"><node id="0"><data key="d0">{label}</data></node>'
    "</graph></graphml>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0" encoding="{encoding}"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'
        for i in range(1, 10)
    )
    + "]>\n"
    + GRAPH.format(label="&lol9;")
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0" encoding="{encoding}"?>\n'
    '<!DOCTYPE graphml [<!ENTITY secret SYSTEM "file://{secret}">]>\n'
    + GRAPH.format(label="&secret;")
)
EXTERNAL_DTD = (
    '<?xml version="1.0" encoding="{encoding}"?>\n'
    '<!DOCTYPE graphml SYSTEM "http://127.0.0.1:9/evil.dtd">\n' + GRAPH.format(label="x")
)
ATTACKS = {
    "billion laughs": BILLION_LAUGHS,
    "external entity": EXTERNAL_ENTITY,
    "external DTD": EXTERNAL_DTD,
}


def _write(path, text, name):
    codec, bom, _ = ENCODINGS[name]
    path.write_bytes(bom + text.encode(codec))
    return path


@pytest.fixture(scope="module")
def organisation_text(tmp_path_factory):
    path = tmp_path_factory.mktemp("org") / "org.graphml"
    org.write_graphml(org.organisation(seed=1), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(DECLARATION)
    return text


@pytest.mark.parametrize("name", ENCODINGS)
@pytest.mark.parametrize("attack", ATTACKS)
def test_graphml_with_a_dtd_is_refused_in_every_encoding(tmp_path, name, attack):
    secret = tmp_path / "secret.txt"
    secret.write_text("the grader's password")
    text = ATTACKS[attack].format(encoding=ENCODINGS[name][2], secret=secret)
    path = _write(tmp_path / "hostile.graphml", text, name)
    with pytest.raises(ValueError, match=r"hostile\.graphml declares a DTD or entities") as info:
        org.read_graphml(path)
    assert "password" not in str(info.value) and "lol" not in str(info.value)
    with pytest.raises(ValueError, match="declares a DTD or entities"):
        org.load(path)


@pytest.mark.parametrize("name", ENCODINGS)
def test_plain_graphml_loads_in_every_encoding(tmp_path, organisation_text, name):
    text = organisation_text.replace(
        DECLARATION, f"<?xml version='1.0' encoding='{ENCODINGS[name][2]}'?>"
    )
    G = org.read_graphml(_write(tmp_path / "ours.graphml", text, name))
    assert nx.utils.graphs_equal(G, org.organisation(seed=1))


def test_graphml_without_a_declaration_in_utf16_loads(tmp_path, organisation_text):
    text = organisation_text.replace(DECLARATION, "")
    path = tmp_path / "bare.graphml"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert org.read_graphml(path).number_of_nodes() == 51


def test_utf16_without_bom_is_not_mistaken_for_utf8(tmp_path):
    """The old check read these bytes as UTF-8 (with NULs between letters) and found no DOCTYPE."""
    text = BILLION_LAUGHS.format(encoding="UTF-16")
    raw = text.encode("utf-16-le")
    assert "<!DOCTYPE" not in raw.decode("utf-8")  # the hole: valid UTF-8, no visible DOCTYPE
    path = tmp_path / "sneaky.graphml"
    path.write_bytes(raw)
    with pytest.raises(ValueError, match="declares a DTD or entities"):
        org.read_graphml(path)


def test_utf7_hides_no_doctype(tmp_path):
    # "+ADw-" is "<" in UTF-7: the bytes hold no "<!DOCTYPE", the text does
    raw = b'<?xml version="1.0" encoding="UTF-7"?>+ADw-!DOCTYPE g [+ADw-!ENTITY x "y">]>' + (
        GRAPH.format(label="&x;").encode("ascii")
    )
    assert b"<!DOCTYPE" not in raw
    path = tmp_path / "seven.graphml"
    path.write_bytes(raw)
    with pytest.raises(ValueError, match="declares a DTD or entities"):
        org.read_graphml(path)


@pytest.mark.parametrize(
    ("encoding", "match"),
    [
        ("x-nonsense", "declares the encoding 'x-nonsense', which is not a text encoding"),
        ("base64", "declares the encoding 'base64', which is not a text encoding"),
        ("zlib", "declares the encoding 'zlib', which is not a text encoding"),
    ],
)
def test_graphml_in_an_unknown_encoding_is_refused(tmp_path, encoding, match):
    path = tmp_path / "odd.graphml"
    path.write_text(f'<?xml version="1.0" encoding="{encoding}"?>' + GRAPH.format(label="x"))
    with pytest.raises(ValueError, match=match):
        org.read_graphml(path)


def test_graphml_not_in_its_declared_encoding_is_refused(tmp_path):
    path = tmp_path / "wrong.graphml"
    path.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>' + b"<graphml>\xff\xfe</graphml>")
    with pytest.raises(
        ValueError, match=r"wrong\.graphml: it is not a network file \(not utf-8 text\)"
    ):
        org.read_graphml(path)


def test_graphml_file_checks(tmp_path, monkeypatch):
    with pytest.raises(FileNotFoundError, match="there is no such file"):
        org.read_graphml(tmp_path / "missing.graphml")
    (tmp_path / "folder.graphml").mkdir()
    with pytest.raises(ValueError, match="it is a folder"):
        org.read_graphml(tmp_path / "folder.graphml")
    empty = tmp_path / "empty.graphml"
    empty.write_bytes(codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le"))
    with pytest.raises(ValueError, match="the file is empty"):
        org.read_graphml(empty)
    big = tmp_path / "big.graphml"
    big.write_text(GRAPH.format(label="x" * 200))
    monkeypatch.setattr(files, "MAX_BYTES", 100)
    with pytest.raises(ValueError, match=r"too large \(over 100 bytes\)"):
        org.read_graphml(big)
    with pytest.raises(ValueError, match="not a GraphML organisation file"):
        org.read_graphml(
            _write(tmp_path / "junk.graphml", "<graphml><unclosed>", "utf-16-le with BOM")
        )


# ----------------------------------------------------------------------------- Watts, tiny phi

TINY = [1e-7, 1e-9, 1e-12, 1e-15, 1e-18, 1e-22, 1e-50, 1e-100, 1e-300, 1e-308]
SUBNORMAL = [5e-309, 1e-315, 1e-320, 5e-324]


@pytest.mark.parametrize("phi", TINY)
def test_cascade_window_for_tiny_phi_runs_from_1_to_about_1_over_phi(phi):
    z_low, z_high = cascade_window(phi)
    assert z_low == 1.0
    # the upper edge grows like 1/phi, a little above it (a Poisson tail of sqrt(2 K log K))
    assert 1.0 / phi <= z_high <= (1.0 / phi) * (1 + 0.002)


@pytest.mark.parametrize("phi", [1e-7, 1e-9, 1e-12, 1e-15])
def test_cascade_window_upper_edge_solves_its_equation(phi):
    """``z * P(Poisson(z) <= K* - 2) = 1`` at the upper edge, and the tail falls through 1 there."""
    k = vulnerable_degree(phi)
    z_high = cascade_window(phi)[1]
    assert z_high * special.gammaincc(k - 1, z_high) == pytest.approx(1.0, rel=1e-6)
    assert (1 - 1e-9) * z_high * special.gammaincc(k - 1, (1 - 1e-9) * z_high) > 1.0


def test_cascade_window_is_continuous_where_its_method_changes():
    below, above = cascade_window(1.0 / 999_000), cascade_window(1.0 / 1_001_000)
    assert below[0] == pytest.approx(above[0], abs=1e-12)
    assert above[1] - below[1] == pytest.approx(2000, rel=0.01)  # about 1 per extra K*


def test_cascade_window_normal_tail_agrees_with_the_equation():
    phi = 1e-22  # K* - 1 above 1e20: the normal limit of the Poisson tail
    z_high = cascade_window(phi)[1]
    a = float(vulnerable_degree(phi) - 1)
    assert z_high * special.gammaincc(a, z_high) == pytest.approx(1.0, rel=1e-3)


@pytest.mark.parametrize("phi", SUBNORMAL)
def test_cascade_window_beyond_the_largest_float_is_infinite(phi):
    assert cascade_window(phi) == (1.0, math.inf)


def test_cascade_window_shrinks_as_phi_grows():
    highs = [cascade_window(phi)[1] for phi in (5e-324, 1e-300, 1e-50, 1e-12, 1e-6, 1e-3, 0.1)]
    assert highs == sorted(highs, reverse=True)


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=1e-15, max_value=1.0, allow_subnormal=False))
def test_vulnerable_degree_is_the_largest_degree_one_neighbour_tips(phi):
    k = vulnerable_degree(phi)
    assert k * phi * THRESHOLD_SLACK <= 1.0 < (k + 1) * phi * THRESHOLD_SLACK


@pytest.mark.parametrize("phi", [1e-17, 1e-50, 1e-300, *SUBNORMAL])
def test_vulnerable_degree_is_exact_for_tiny_phi(phi):
    k = vulnerable_degree(phi)
    product = Fraction(phi) * Fraction(THRESHOLD_SLACK)
    assert isinstance(k, int) and k * product <= 1 < (k + 1) * product


def _giant_component(z):
    """The share S of an Erdos-Renyi graph's giant component: S = 1 - exp(-z S)."""
    if z <= 1:
        return 0.0
    return float(1 + special.lambertw(-z * math.exp(-z)).real / z)


@pytest.mark.parametrize("phi", [*TINY, *SUBNORMAL])
@pytest.mark.parametrize("z", [0.0, 0.5, 1.5, 4.0, 12.0, 50.0])
def test_cascade_probability_for_tiny_phi_is_the_giant_component(z, phi):
    """With everyone vulnerable, one seed cascades when it lands in the giant component."""
    assert cascade_probability(z, phi) == pytest.approx(_giant_component(z), abs=1e-9)


@pytest.mark.parametrize("phi", [1e-12, 5e-324])
def test_cascade_probability_curve_for_tiny_phi(phi):
    zs = [0.0, 2.0, 4.0, 30.0]
    assert cascade_probability_curve(zs, phi) == pytest.approx([_giant_component(z) for z in zs])


@pytest.mark.parametrize("phi", [1e-12, 1e-100, 5e-324])
def test_cascade_probability_work_does_not_grow_with_1_over_phi(phi):
    """A sum over every degree up to 1/phi would need terabytes; the bounded sums need kilobytes."""
    tracemalloc.start()
    try:
        cascade_probability(4.0, phi)
        cascade_window(phi)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000


@pytest.mark.parametrize(
    ("z", "phi", "expected"),
    [(1e6, 0.18, 0.0), (1e6, 1e-9, 1.0), (1e12, 1e-100, 1.0), (1e300, 0.5, 0.0)],
)
def test_cascade_probability_for_huge_mean_degrees(z, phi, expected):
    assert cascade_probability(z, phi) == expected


@pytest.mark.parametrize(("z", "phi"), [(1e9, 1e-9), (1e6, 1e-6), (2e5, 1 / 2e5)])
def test_cascade_probability_refuses_a_huge_mean_degree_next_to_k_star(z, phi):
    with pytest.raises(
        ValueError, match=rf"z must be at most 90,000 contacts when phi={phi!r}.*got z={z!r}"
    ):
        cascade_probability(z, phi)


# ----------------------------------------------------------------------------- Granovetter


@pytest.mark.parametrize(
    ("thresholds", "error", "match"),
    [
        ([0, -1, 2], ValueError, "thresholds must be numbers >= 0, got -1 for person 1"),
        ([0, -np.inf], ValueError, "got -inf for person 1"),
        ([0, np.nan], ValueError, "got NaN for person 1"),
        (
            [0, 1, np.inf],
            ValueError,
            "thresholds must be finite numbers >= 0, got inf for person 2",
        ),
        (np.array([0.0, np.inf]), ValueError, "got inf for person 1"),
        ([0, 10**400], ValueError, "too large for a float for person 1"),
        (
            ["0", "1"],
            TypeError,
            r"thresholds must contain only numbers .*got '0' \(str\) for person 0",
        ),
        ([0, True], TypeError, r"got True \(bool\) for person 1"),
        (np.array([True, False]), TypeError, r"got .*True.* for person 0"),
        ([0, 1 + 2j], TypeError, r"got \(1\+2j\) \(complex\) for person 1"),
        ([0, None], TypeError, r"got None \(NoneType\) for person 1"),
        ([[0, 1], [2, 3]], ValueError, r"flat list of numbers, got shape \(2, 2\)"),
        ([[0, 1], [2]], ValueError, "flat list of numbers, got a nested list"),
        (np.zeros((2, 3)), ValueError, r"got shape \(2, 3\)"),
        (np.array(5.0), ValueError, r"got shape \(\)"),
        ("012", TypeError, "thresholds must be an array of numbers or a frozen scipy.stats"),
        (5, TypeError, "thresholds must be an array of numbers or a frozen scipy.stats"),
    ],
)
def test_invalid_crowds_are_refused(thresholds, error, match):
    with pytest.raises(error, match=match):
        granovetter_equilibrium(thresholds)
    with pytest.raises(error, match=match):
        riot_rounds(thresholds)


def test_an_endless_crowd_is_refused():
    from itertools import count

    with pytest.raises(ValueError, match="thresholds must hold at most 10,000,000 people"):
        granovetter_equilibrium(count())


@pytest.mark.parametrize(
    ("thresholds", "expected"),
    [
        ([], 0),  # nobody there, nobody joins
        ([0.5, 0, 2.5], 2),  # 0.5 joins once 1 other has; 2.5 would need 3
        ([0, 1, 7], 2),  # a threshold above the crowd: that person never joins
        (np.array([0, 1, 2], dtype=np.int64), 3),
        (np.arange(100, dtype=np.float32), 100),
        ((x for x in range(10)), 10),
    ],
)
def test_valid_edge_crowds_still_work(thresholds, expected):
    assert granovetter_equilibrium(thresholds) == expected


@pytest.mark.parametrize(
    ("dist", "match"),
    [
        (stats.norm(np.nan, 10), r"got norm\(nan, 10\)"),
        (stats.norm(25, -1), r"got norm\(25, -1\), whose CDF at r=0 is nan"),
        (stats.norm(25, 0), r"got norm\(25, 0\)"),
        (stats.norm(25, np.inf), r"got norm\(25, inf\)"),
        (stats.uniform(loc=0, scale=np.nan), r"got uniform\(loc=0, scale=nan\)"),
    ],
)
def test_invalid_distributions_are_refused(dist, match):
    with pytest.raises(
        ValueError, match="thresholds must be a distribution with finite parameters"
    ):
        granovetter_equilibrium(dist, n=100)
    with pytest.raises(ValueError, match=match):
        granovetter_equilibrium(dist, n=100)


@pytest.mark.parametrize(
    ("n", "error", "match"),
    [
        (0, ValueError, r"n must be a whole number >= 1, got n=0"),
        (10**7 + 1, ValueError, r"n must be at most 10,000,000 people, got n=10000001"),
        (10**400, ValueError, r"n must be at most 10,000,000 people, got n=1000"),
        (100.0, TypeError, r"n must be a whole number, got n=100.0 \(float\)"),
        (True, TypeError, "n must be a whole number, got n=True"),
        (None, ValueError, "n .the crowd size. is required"),
    ],
)
def test_invalid_crowd_sizes_are_refused(n, error, match):
    with pytest.raises(error, match=match):
        granovetter_equilibrium(stats.norm(25, 10), n=n)


def test_something_that_is_not_a_distribution_is_refused():
    class OneNumber:
        dist = None

        def cdf(self, r):
            return 0.5

    with pytest.raises(TypeError, match=r"of one number per person, got OneNumber\(\)"):
        granovetter_equilibrium(OneNumber(), n=10)
    with pytest.raises(TypeError, match=r"got norm\(\[1, 2\], 1\)"):
        granovetter_equilibrium(stats.norm([1, 2], 1), n=10)


def test_valid_distributions_still_work():
    assert granovetter_equilibrium(stats.norm(25, 12), n=100) == pytest.approx(4.02, abs=0.01)
    assert granovetter_equilibrium(stats.poisson(0.5), n=10) == pytest.approx(10.0)
    assert granovetter_equilibrium(stats.uniform(1, 10), n=50) == 0.0
