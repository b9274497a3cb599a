from __future__ import annotations

import pytest

from bot.cli import main as bot_cli
from tests.channels.fake_apis import fake_slack, fake_telegram
from tests.channels.harness import CHROMIUM, CHROMIUM_ARGS, channel_env, need_chromium, stub_assistant
from tests.channels.widget_page import clinic_site
from tests.conftest import free_port, skip_or_fail
from tests.e2e.servers import MODEL, running_servers


@pytest.fixture(scope="session")
def slack_api():
    with fake_slack() as api:
        yield api


@pytest.fixture(scope="session")
def telegram_api():
    with fake_telegram() as api:
        yield api


@pytest.fixture(scope="session")
def stub(tmp_path_factory, slack_api, telegram_api):
    """The real channels with scripted replies (no model): the server's base URL."""
    log = tmp_path_factory.mktemp("stub") / "stub.log"
    with stub_assistant(free_port(), channel_env(slack_api.url, telegram_api.url), log) as url:
        yield url


@pytest.fixture(scope="module")
def assistant_channels(tmp_path_factory, slack_api, telegram_api):
    """The trained assistant (real Rasa and action servers) with every channel on, Slack and Telegram
    pointed at the fake APIs; stopped after its module, before tests/e2e starts servers of its own."""
    if not MODEL.exists():
        skip_or_fail(f"no trained model at {MODEL}: run `make train`")
    workdir = tmp_path_factory.mktemp("assistant-channels")
    kb_url = f"sqlite:///{workdir / 'kb.sqlite3'}"
    assert bot_cli(["kb", "load", "--url", kb_url]) == 0
    env = channel_env(slack_api.url, telegram_api.url)
    with running_servers(workdir, free_port(), free_port(), kb_url, extra_env=env) as servers:
        yield servers


@pytest.fixture(scope="session")
def clinic(stub):
    """A page on another origin that embeds the stub's widget; query parameters become data-* settings."""
    with clinic_site(stub) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """Chromium for one module: Playwright's sync API runs an event loop in this thread while it is open,
    which the asyncio tests of other folders must not find running."""
    sync_playwright = need_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 820})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.js_errors = errors
    yield page
    context.close()
