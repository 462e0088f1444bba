"""Makes chime.wav, the board's call sound: a struck two-tone bell (G5 then D5), 8-bit mono at 16 kHz, 1.3 s,
21 KB. Generated rather than taken from a sound library, so it carries no licence of its own.

    python static/audio/make_chime.py
"""

import math
import wave
from pathlib import Path

RATE = 16000


def tone(freq: float, seconds: float, volume: float = 0.55) -> list[int]:
    samples = []
    for i in range(int(RATE * seconds)):
        t = i / RATE
        envelope = math.exp(-3.2 * t)  # a bell: loud at once, then fading
        wave_ = (math.sin(2 * math.pi * freq * t) + 0.35 * math.sin(4 * math.pi * freq * t)) / 1.35
        samples.append(int(128 + 127 * volume * envelope * wave_))
    return samples


if __name__ == "__main__":
    with wave.open(str(Path(__file__).with_name("chime.wav")), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(RATE)
        out.writeframes(bytes(tone(784, 0.55) + tone(587, 0.75)))
