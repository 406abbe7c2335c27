from sqlalchemy import inspect, text

from mra_registry.store.database import make_engine
from mra_registry.store.migrate import check_no_drift, current_revision, upgrade_to_head
from mra_registry.store.models import Base


def test_upgrade_brings_an_empty_database_to_head_without_drift(database_factory):
    engine = make_engine(database_factory.new_empty())
    try:
        assert current_revision(engine) is None
        upgrade_to_head(engine)
        assert current_revision(engine) == "0002"
        assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
        check_no_drift(engine)  # raises when models and migrations disagree
        with engine.connect() as connection:
            assert connection.execute(text("select version from registry_state")).scalar_one() == 0
            assert connection.execute(text("select name from economies where code = 'NZ'")).scalar_one() == "New Zealand"
        upgrade_to_head(engine)  # a second run is a no-op
        assert current_revision(engine) == "0002"
    finally:
        engine.dispose()
