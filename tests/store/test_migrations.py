from sqlalchemy import inspect, text

from mra_registry.store.database import make_engine
from mra_registry.store.migrate import check_no_drift, current_revision, downgrade_to, upgrade_to, upgrade_to_head
from mra_registry.store.models import Base


def test_upgrade_brings_an_empty_database_to_head_without_drift(database_factory):
    engine = make_engine(database_factory.new_empty())
    try:
        assert current_revision(engine) is None
        upgrade_to_head(engine)
        assert current_revision(engine) == "0008"
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        check_no_drift(engine)  # raises when models and migrations disagree
        with engine.connect() as connection:
            assert connection.execute(text("select version from registry_state")).scalar_one() == 0
            assert connection.execute(text("select name from economies where code = 'NZ'")).scalar_one() == "New Zealand"
        upgrade_to_head(engine)  # a second run is a no-op
        assert current_revision(engine) == "0008"
    finally:
        engine.dispose()


def test_0003_widens_stored_request_ids_and_keeps_the_change_log(database_factory):
    # given: a registry at 0002 with one recorded write (its values are invented for this test)
    engine = make_engine(database_factory.new_empty())
    try:
        upgrade_to(engine, "0002")
        with engine.begin() as connection:
            connection.execute(text(
                "insert into registry_versions (version, created_at, actor, role, request_id, message) "
                "values (1, '2026-11-01 10:00:00+00:00', 'tok1', 'ADMINISTRATOR', :rid, 'kept')"), {"rid": "a" * 64})

        # when
        upgrade_to_head(engine)

        # then: the record is intact, and a 128-character id is kept whole
        with engine.begin() as connection:
            assert connection.execute(text("select request_id, message from registry_versions")).one() == ("a" * 64, "kept")
            connection.execute(text("update registry_versions set request_id = :rid"), {"rid": "b" * 128})
            assert connection.execute(text("select request_id from registry_versions")).scalar_one() == "b" * 128
        check_no_drift(engine)

        # and back: the downgrade cuts ids to the old width instead of failing
        downgrade_to(engine, "0002")
        with engine.connect() as connection:
            assert connection.execute(text("select request_id from registry_versions")).scalar_one() == "b" * 64
    finally:
        engine.dispose()


def test_0004_adds_the_open_world_tables_and_downgrades_cleanly(database_factory):
    # given: a registry at 0003 holding one accreditation body (invented)
    engine = make_engine(database_factory.new_empty())
    try:
        upgrade_to(engine, "0003")
        with engine.begin() as connection:
            connection.execute(text("insert into accreditation_bodies (code, name, region, row_version, confidence, "
                                    "sources) values ('ZZ-AB', 'Kept', null, 1, 'confirmed', '[]')"))

        # when
        upgrade_to_head(engine)

        # then: the body is kept, with no directory yet, and the new tables are there and empty
        tables = set(inspect(engine).get_table_names())
        assert {"completeness_declarations", "lookalike_bodies", "arrangement_activity_starts"} <= tables
        with engine.connect() as connection:
            assert connection.execute(text("select name, directory_url from accreditation_bodies")).one() == ("Kept", None)
        check_no_drift(engine)

        # and back
        downgrade_to(engine, "0003")
        tables = set(inspect(engine).get_table_names())
        assert not {"completeness_declarations", "lookalike_bodies", "arrangement_activity_starts"} & tables
        columns = {c["name"] for c in inspect(engine).get_columns("accreditation_bodies")}
        assert "directory_url" not in columns
        with engine.connect() as connection:
            assert connection.execute(text("select name from accreditation_bodies")).scalar_one() == "Kept"
    finally:
        engine.dispose()


def test_0005_keeps_every_policy_as_its_first_requirement_and_downgrades_cleanly(database_factory):
    # given: a registry at 0004 holding one import policy (invented)
    engine = make_engine(database_factory.new_empty())
    try:
        upgrade_to(engine, "0004")
        with engine.begin() as connection:
            connection.execute(text(
                "insert into import_policies (code, importer, hs_prefixes, excluded_hs_prefixes, required_type, "
                "required_tests, routes, max_age_days, lot_match, row_version, valid_from, valid_to, "
                "recorded_version, retired_version, confidence, sources) values ('ZZ-P', 'JP', '[\"0406\"]', '[]', "
                "'TESTING', '[]', '[{\"kind\": \"ARRANGEMENT\", \"arrangements\": [\"ILAC_MRA\"]}]', 90, true, 1, "
                "null, null, 1, null, 'fixture', '[]')"))

        # when
        upgrade_to_head(engine)

        # then: the policy reads as before: one requirement, no origins, no border checks, no legal source
        from sqlalchemy.orm import Session

        from mra_registry.store.queries import policies_by_codes

        with Session(engine) as session:
            policy = policies_by_codes(session, ["ZZ-P"])["ZZ-P"]
        assert len(policy.requirements) == 1 and policy.origins == () and policy.max_age_days == 90
        assert policy.border_checks is None and policy.legal_source is None and policy.max_age_months is None
        assert {"competences", "acceptance_lists", "acceptance_list_entries"} <= set(inspect(engine).get_table_names())
        check_no_drift(engine)

        # and back: the new tables and columns go, the policy stays
        downgrade_to(engine, "0004")
        tables = set(inspect(engine).get_table_names())
        assert not {"competences", "acceptance_lists", "acceptance_list_entries"} & tables
        columns = {c["name"] for c in inspect(engine).get_columns("import_policies")}
        assert not {"origins", "additional_requirements", "max_age_months", "legal_url"} & columns
        with engine.connect() as connection:
            assert connection.execute(text("select max_age_days from import_policies")).scalar_one() == 90
    finally:
        engine.dispose()
