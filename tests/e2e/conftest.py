"""Browser tests: Chromium (Debian's /usr/bin/chromium) driven by Playwright's sync API against the live server.

The test suite runs pytest-asyncio with one session-wide event loop, and sync Playwright cannot run where
an asyncio loop runs (it also leaves its own loop marked as running in the thread that drives it). So
everything Playwright does happens in one worker thread of its own, "the browser thread": the fixtures
create browser contexts and pages there, and the e2e tests (plain `def` functions) run there as a whole
(see `pytest_pyfunc_call` below). Meanwhile the main thread runs the session's event loop, so a test can
query the database through `db(...)` with the same engine and pool as every other test.

Data is made by async fixtures (`world` from tests/conftest.py) before the test starts.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cache
from typing import Any, TypeVar

import pytest

from tests.live_server import ROOT, LiveServer, live_server

__all__ = ["live_server"]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 360, "height": 800}
TIMEOUT_MS = 15_000  # any single wait in a browser test
THREAD_NAME = "browser-thread"
TEST_TIMEOUT_SECONDS = 180  # a whole browser test, as a last resort against a hang

T = TypeVar("T")


class BrowserThread:
    """One thread that owns Playwright and the Chromium process; everything Playwright runs in it."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop  # the session's event loop, run by the main thread while a test runs here
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=THREAD_NAME)
        self.playwright: Any = None
        self.browser: Any = None

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `fn` in the browser thread and wait for it (from the main thread, no database access)."""
        return self.executor.submit(fn, *args, **kwargs).result(timeout=TEST_TIMEOUT_SECONDS)

    def run_test(self, fn: Callable[..., Any], kwargs: dict[str, Any]) -> None:
        """Run a test function in the browser thread while the main thread runs the session's event loop."""
        future: Future = self.executor.submit(fn, **kwargs)
        self.loop.run_until_complete(asyncio.wait_for(asyncio.wrap_future(future), TEST_TIMEOUT_SECONDS))

    def start(self) -> None:
        def launch() -> None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)

        self.call(launch)

    def stop(self) -> None:
        def close() -> None:
            if self.browser is not None:
                self.browser.close()
            if self.playwright is not None:
                self.playwright.stop()

        try:
            self.call(close)
        finally:
            self.executor.shutdown(wait=True)


@pytest.fixture(scope="session")
async def _session_loop() -> asyncio.AbstractEventLoop:
    return asyncio.get_running_loop()


@pytest.fixture(scope="session")
def browser_thread(_session_loop) -> Iterator[BrowserThread]:
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (Debian package 'chromium'); it is not installed")
    thread = BrowserThread(_session_loop)
    try:
        thread.start()
    except BaseException:
        thread.executor.shutdown(wait=False)
        raise
    yield thread
    thread.stop()


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Sync tests that use the browser run in the browser thread (their pages live there)."""
    if "browser_thread" not in pyfuncitem.fixturenames or inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    thread: BrowserThread = pyfuncitem.funcargs["browser_thread"]
    kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    thread.run_test(pyfuncitem.obj, kwargs)
    return True


def phone_context(browser: Any, live_server: LiveServer, lang: str | None, **options: Any) -> Any:
    """A browser context of a Vietnamese phone (see `new_page`), in the browser thread."""
    context = browser.new_context(
        viewport=VIEWPORT, base_url=live_server.url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh", **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    if lang:
        context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    return context


@pytest.fixture
def new_page(browser_thread: BrowserThread, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """`new_page(lang=None)`: a page in a new browser context (one person, own cookies) of a Vietnamese
    phone: 360×800, the browser's language Vietnamese (Accept-Language: vi-VN). `lang="en"` or `"vi"` sets
    the app's language cookie, as the footer's switcher does; other keywords go to Playwright's
    `new_context` (e.g. `java_script_enabled=False`). `page.goto("/path")` is relative to the live server."""
    contexts: list[Any] = []

    def make(lang: str | None = None, **options: Any) -> Any:
        context = phone_context(browser_thread.browser, live_server, lang, **options)
        contexts.append(context)
        return context.new_page()

    def made_in_browser_thread(lang: str | None = None, **options: Any) -> Any:
        in_thread = threading.current_thread().name.startswith(THREAD_NAME)
        return make(lang, **options) if in_thread else browser_thread.call(make, lang, **options)

    yield made_in_browser_thread

    def close_all() -> None:
        for context in contexts:
            context.close()

    browser_thread.call(close_all)


@pytest.fixture
def page(new_page) -> Any:
    """A page of a Vietnamese phone, no one signed in, no language chosen yet."""
    return new_page()


@pytest.fixture
def camera_page(browser_thread: BrowserThread, live_server: LiveServer) -> Iterator[Callable[..., Any]]:
    """`camera_page(video, lang=None)`: like `new_page`, in a Chromium of its own whose camera films `video`
    (a .y4m file, played in a loop) and which allows the camera without asking. Call it from the test."""
    browsers: list[Any] = []

    def make(video: os.PathLike | str, lang: str | None = None) -> Any:
        assert threading.current_thread().name.startswith(THREAD_NAME), "call camera_page from the test itself"
        camera_args = [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={os.fspath(video)}",
        ]
        browser = browser_thread.playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *camera_args]
        )
        browsers.append(browser)
        return phone_context(browser, live_server, lang).new_page()

    yield make

    def close_all() -> None:
        for browser in browsers:
            browser.close()

    browser_thread.call(close_all)


@pytest.fixture
def db(browser_thread: BrowserThread) -> Callable[[Awaitable[T]], T]:
    """`db(User.exists().where(...))` from a browser test: runs the query on the session's event loop."""

    async def wait(awaitable: Awaitable[T]) -> T:
        return await awaitable

    def run(awaitable: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(wait(awaitable), browser_thread.loop).result(timeout=60)

    return run


@cache
def _vietnamese() -> dict[str, str]:
    from babel.messages.pofile import read_po

    with (ROOT / "locale" / "vi" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="vi")
    return {m.id: m.string for m in catalog if m.id and isinstance(m.id, str) and m.string}


@pytest.fixture(scope="session")
def vi() -> Callable[[str], str]:
    """`vi("Sign in")` -> "Đăng nhập": the Vietnamese a person reads, from the app's own catalogue."""

    def translate(message: str) -> str:
        catalogue = _vietnamese()
        assert message in catalogue, f"no Vietnamese translation for {message!r}"
        return catalogue[message]

    return translate
