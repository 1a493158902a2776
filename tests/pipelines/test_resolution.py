"""The resolution library on hand-made mentions and names: tiers, evidence levels, decisions."""

import duckdb
import pytest

from pipelines.lib.resolution.deterministic import link_deterministically
from pipelines.lib.resolution.model import create_macros
from pipelines.lib.resolution.parameters import ResolutionParameters
from pipelines.lib.resolution.probabilistic import decide
from pipelines.lib.resolution.sounds import add_name_sounds

pytestmark = pytest.mark.unit

#: (uscc, name as normalised, name key, form, valid from, valid to)
NAMES = [
    ("A", "北京中科创新科技有限公司", "中科创新科技有限公司", "有限公司", "2015-01-01", None),
    (
        "B",
        "北京中科创新信息技术有限公司",
        "中科创新信息技术有限公司",
        "有限公司",
        "2016-01-01",
        None,
    ),
    (
        "C",
        "北京中科创新科技有限公司海淀分公司",
        "中科创新科技有限公司海淀分公司",
        "分公司",
        "2017-01-01",
        None,
    ),
    ("D", "北京旧名科技有限公司", "旧名科技有限公司", "有限公司", "2015-01-01", "2024-06-01"),
    ("D", "北京新名科技有限公司", "新名科技有限公司", "有限公司", "2024-06-01", None),
    ("E", "北京双生科技有限公司", "双生科技有限公司", "有限公司", "2015-01-01", None),
    ("F", "北京双生科技有限责任公司", "双生科技有限公司", "有限责任公司", "2015-01-01", None),
]


@pytest.fixture
def work():
    connection = duckdb.connect()
    create_macros(connection)
    connection.execute(
        """
        create table names (
            name_id varchar, uscc varchar, enterprise_name varchar,
            enterprise_name_normalized varchar, name_key varchar, company_form varchar,
            is_current_name boolean, valid_from_date date, valid_to_date date)
        """
    )
    connection.executemany(
        "insert into names values (? || '#' || ?, ?, ?, ?, ?, ?, ? is null, ?, ?)",
        [(u, i, u, n, n, k, f, t, s, t) for i, (u, n, k, f, s, t) in enumerate(NAMES)],
    )
    connection.execute(
        """
        create table mentions (
            mention_id varchar, mentioned_name_normalized varchar, name_key varchar,
            company_form varchar, id_uscc varchar, id_organisation_code varchar,
            mention_date date)
        """
    )
    yield connection
    connection.close()


def _link(work, *mentions):
    work.executemany("insert into mentions values (?, ?, ?, ?, ?, ?, ?)", mentions)
    link_deterministically(work, ResolutionParameters().former_name_grace_days)
    return dict(
        work.sql(
            "select mention_id, uscc || ' ' || resolution_method from deterministic_links"
        ).fetchall()
    )


def test_an_exact_name_links_and_a_near_twin_does_not_interfere(work):
    links = _link(
        work,
        (
            "m1",
            "北京中科创新科技有限公司",
            "中科创新科技有限公司",
            "有限公司",
            None,
            None,
            "2025-01-01",
        ),
        (
            "m2",
            "北京中科创新信息技术有限公司",
            "中科创新信息技术有限公司",
            "有限公司",
            None,
            None,
            "2025-01-01",
        ),
    )

    assert links == {"m1": "A exact_name", "m2": "B exact_name"}


def test_a_branch_resolves_to_its_own_code_not_its_parents(work):
    links = _link(
        work,
        (
            "m",
            "北京市中科创新科技有限公司海淀分公司",
            "中科创新科技有限公司海淀分公司",
            "分公司",
            None,
            None,
            "2025-01-01",
        ),
    )

    assert links == {"m": "C normalised_name"}


def test_a_former_name_links_within_and_after_its_validity(work):
    links = _link(
        work,
        (
            "before",
            "北京旧名科技有限公司",
            "旧名科技有限公司",
            "有限公司",
            None,
            None,
            "2023-01-01",
        ),
        ("after", "北京旧名科技有限公司", "旧名科技有限公司", "有限公司", None, None, "2024-09-01"),
    )

    assert links == {"before": "D exact_name", "after": "D exact_name"}


def test_a_key_naming_two_enterprises_decides_nothing(work):
    links = _link(
        work,
        ("m", "双生科技有限公司(北京)", "双生科技有限公司", "有限公司", None, None, "2025-01-01"),
    )

    assert links == {}


def test_codes_come_before_names_and_an_unknown_code_falls_back_to_the_name(work):
    links = _link(
        work,
        (
            "code",
            "北京中科创新科技有限公司",
            "中科创新科技有限公司",
            "有限公司",
            "B",
            None,
            "2025-01-01",
        ),
        (
            "unknown",
            "北京中科创新科技有限公司",
            "中科创新科技有限公司",
            "有限公司",
            "Z",
            None,
            "2025-01-01",
        ),
    )

    assert links == {"code": "B registered_code", "unknown": "A exact_name"}


def test_an_organisation_code_is_characters_9_to_17_of_the_uscc(work):
    work.execute("update names set uscc = '91110108MA01QXDW4B' where uscc = 'E'")
    links = _link(work, ("m", "某某公司", "某某公司", "有限公司", None, "MA01QXDW4", "2025-01-01"))

    assert links == {"m": "91110108MA01QXDW4B organisation_code"}


@pytest.mark.parametrize(
    ("a", "b", "differences", "homophone"),
    [
        ("兴达科技有限公司", "星达科技有限公司", 1, True),
        ("中科创新科技有限公司", "中料创新科技有限公司", 1, False),
        ("长城科技有限公司", "常城科技有限公司", 1, True),  # 长 reads chang as well as zhang
        ("中科创新科技有限公司", "中科创新软件有限公司", 2, False),
        ("中科创新科技有限公司", "中科创新信息技术有限公司", None, False),
        ("ab(有限合伙)", "ab(有限合伙)", 0, False),
    ],
)
def test_characters_not_bytes_are_compared(work, a, b, differences, homophone):
    work.execute("create table pairs as select ? as name_key", [a])
    work.execute("create table others as select ? as name_key", [b])
    add_name_sounds(work, "pairs")
    add_name_sounds(work, "others")

    counted, same_sound = work.sql(
        """
        select char_differences(pairs.name_key, others.name_key),
            differs_by_one_homophone(pairs.name_key, others.name_key, pairs.name_sounds,
                others.name_sounds)
        from pairs, others
        """
    ).fetchone()

    assert counted == differences
    assert same_sound is homophone


def test_near_twins_with_equal_evidence_share_the_probability(work):
    work.execute(
        """
        create table candidate_scores as
        select * from (values
            ('lone', 'A', 1.0), ('twin', 'E', 3.0), ('twin', 'F', 3.0), ('weak', 'B', -9.0)
        ) as scores (mention_id, uscc, match_weight);
        create table rejected_candidates (mention_id varchar, uscc varchar);
        """
    )

    decide(work, unlinked_odds=0.005)

    probability = dict(
        work.sql(
            "select mention_id || ' ' || uscc, match_probability from candidate_probabilities"
        ).fetchall()
    )
    assert probability["lone A"] > 0.99
    assert probability["twin E"] == pytest.approx(probability["twin F"])
    assert probability["twin E"] < 0.5
    assert probability["weak B"] < 0.3


def test_a_rejected_candidate_is_left_out(work):
    work.execute(
        """
        create table candidate_scores as
        select * from (values ('m', 'E', 3.0), ('m', 'F', 3.0))
            as scores (mention_id, uscc, match_weight);
        create table rejected_candidates as select 'm' as mention_id, 'F' as uscc;
        """
    )

    decide(work, unlinked_odds=0.005)

    assert work.sql(
        "select uscc, match_probability > 0.99 from candidate_probabilities"
    ).fetchall() == [("E", True)]


def test_thresholds_must_order_the_outcomes():
    with pytest.raises(ValueError, match="review_probability"):
        ResolutionParameters(accept_probability=0.5, review_probability=0.9)
