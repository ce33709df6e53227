"""Composable fixtures: database → connection → session → app → client → logged-in users."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import sessionmaker

from crowdline import wiring
from crowdline.settings import Settings
from database.engine import make_engine
from migrations import migrate
from quality import access
from tests import databases
from tests.factories import make_program, make_user
from tests.web_client import login
from web.app import create_app
from web.extensions import limiter


@pytest.fixture(scope="session", autouse=True)
def domain_hooks():
    """The session listeners every Crowdline process installs (crowdline.wiring)."""
    wiring.install_domain_hooks()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if databases.suite_backend() == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'suite.db'}"
        return
    url = databases.create_postgres_database()
    yield url
    databases.drop_postgres_database(url)


@pytest.fixture(scope="session")
def engine(database_url):
    engine = make_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine):
    """One connection per test inside a transaction that is rolled back at the end."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session_factory(connection):
    # SQLAlchemy's isolation recipe: every session the app opens joins the outer transaction
    # through a savepoint, so app commits are real but undone after the test.
    return sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db_session(session_factory):
    with session_factory() as session:
        yield session


@pytest.fixture
def settings(database_url, tmp_path):
    return Settings(
        database_url=database_url,
        secret_key="test-secret-key-0123456789abcdef",
        instance_path=tmp_path / "instance",
        embedded=False,
        testing=True,
    )


@pytest.fixture
def app(settings, session_factory):
    app = create_app(settings, session_factory=session_factory)
    limiter.reset()
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def program(db_session):
    program = make_program(db_session, code="acme-claims", name="Claims intake")
    db_session.commit()
    return program


@pytest.fixture
def users(db_session, program):
    """One user per role; the agent works the acme-claims program."""
    made = {role: make_user(db_session, role) for role in ("agent", "supervisor", "admin")}
    made["agent"].agent.programs = [program]
    db_session.commit()
    return made


@pytest.fixture
def supervising(db_session, users, program):
    """The supervisor gets a duty in acme-claims (quality.access.assign), so they see that
    program's pay, ROI and wrap-up codes; a supervisor without duties sees none."""
    access.assign(session=db_session, program_id=program.id, user=users["supervisor"],
                  duty="supervisor")  # fmt: skip
    db_session.commit()
    return users["supervisor"]


@pytest.fixture
def as_role(app, users):
    """as_role('supervisor') → a test client signed in with that role."""

    def make(role: str):
        client = app.test_client()
        response = login(client, users[role].email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return client

    return make
