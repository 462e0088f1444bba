"""The yardstick for the page benchmarks: Litestar answering a small constant HTML page, nothing else."""

from litestar import Litestar, MediaType, get

PAGE = "<!doctype html><html lang=vi><title>ok</title><p>ok</p></html>"


@get("/", media_type=MediaType.HTML)
async def bare() -> str:
    return PAGE


app = Litestar([bare])
