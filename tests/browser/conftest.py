"""The real-browser harness: the real app under uvicorn, Debian's Chromium driven by Playwright, axe-core.

One server (a fresh, migrated SQLite database with the demo content in the `default` organisation) and one
browser per test session (per xdist worker); every test gets a fresh browser context, so no cookie leaks
between tests. Chromium is Debian's package (`scripts/ensure-chromium.sh` installs it; `make test` runs it
first), never Playwright's own download. axe-core is vendored under tests/browser/vendor, injected by tests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, Page, Playwright, StorageState, sync_playwright

from skillbite.domain.ids import OrgId
from skillbite.settings import Environment, Settings
from skillbite.wiring import System, build_system
from tests.browser.harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    SECRET,
    LiveServer,
    ServerClock,
    log_in,
    new_context,
    watch_for_problems,
)


def _load_demo_content(system: System, org_id: int) -> None:
    try:
        from skillbite.content.demo_packs import demo_pack_paths

        import_pack = system.content.import_pack
    except (ImportError, AttributeError) as error:
        pytest.fail(f"cannot load the demo content for the browser tests: {error}", pytrace=False)
    paths = demo_pack_paths()
    if not paths:
        pytest.fail("demo_pack_paths() found no demo pack; the browser tests need the demo content")
    for path in paths:
        import_pack(OrgId(org_id), path)


def _serve(app: FastAPI, sock: socket.socket) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="browser-test-server", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the test server did not start within 20 s (see the log above)")
        time.sleep(0.02)
    return server, thread


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The real app on a free port, on a fresh migrated SQLite database holding the demo content."""
    from skillbite.web.app import create_app

    folder = tmp_path_factory.mktemp("browser-server")
    # Bind first and hand the socket to uvicorn: the port is ours from now on, with no race for it.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = Settings(
        database_url=f"sqlite:///{folder / 'browser.sqlite3'}",
        environment=Environment.TEST,
        secret_key=SECRET,
        password_hash_profile="owasp-minimum",
        semantic_search="off",  # the Ask page's answers must not change when background embedding finishes
        data_dir=folder,
        base_url=url,
    )
    clock = ServerClock()
    system = build_system(settings, clock=clock)
    system.schema.upgrade()
    default_org = system.schema.ensure_default_org()
    _load_demo_content(system, default_org.id)
    server, thread = _serve(create_app(system=system), sock)
    live = LiveServer(url=url, system=system, clock=clock)
    live.default_admin = live.member("admin")
    yield live
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    system.close()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Run scripts/ensure-chromium.sh (as root; `make test` runs it "
            "for you), or set SKILLBITE_CHROMIUM to a Chromium binary.",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A page in a fresh context (no cookies); the test fails on script errors or assets that do not load."""
    context = new_context(browser, live_server)
    problems = watch_for_problems(context, live_server.url)
    page = context.new_page()
    yield page
    context.close()
    assert not problems.errors, "problems in the page:\n" + "\n".join(problems.errors)


@pytest.fixture(scope="session")
def admin_state(browser: Browser, live_server: LiveServer) -> StorageState:
    """The default organisation's admin, logged in once through the real form; reused by later contexts."""
    context = new_context(browser, live_server)
    page = context.new_page()
    log_in(page, live_server.default_admin)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def admin_page(browser: Browser, live_server: LiveServer, admin_state: StorageState) -> Iterator[Page]:
    """A page logged in as the admin of `default` (which holds the demo content)."""
    context = new_context(browser, live_server, storage_state=admin_state)
    problems = watch_for_problems(context, live_server.url)
    page = context.new_page()
    yield page
    context.close()
    assert not problems.errors, "problems in the page:\n" + "\n".join(problems.errors)
