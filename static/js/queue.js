/* The queue's screens: the kiosk at the door, the TV board and a ticket's page on a phone.
 *
 * Everything works without this file (forms, a meta refresh); it adds what a device left running needs:
 * - kiosk: the scan field keeps the focus (a USB scanner types into it), the page asks the server every minute
 *   whether it is still current (reloads when not, goes to sign-in if the session has ended), and a ticket's
 *   screen prints on request and goes back to the start by itself;
 * - board: a chime and the spoken number on each call, a "reconnecting" note while the live stream is down;
 * - ticket: the phone vibrates when the number is called.
 * Messages come from the markup, translated by the server. Safe to load twice (htmx re-runs body scripts).
 */
(() => {
  "use strict";
  if (window.queueScreens) return;
  window.queueScreens = true;

  /* --- kiosk ------------------------------------------------------------------------------------------ */
  function kiosk(main) {
    const scan = document.getElementById("f-scan");
    if (scan) {
      // Keep the cursor in the scan field unless the person is using something else.
      setInterval(() => {
        const active = document.activeElement;
        if (!active || active === document.body) scan.focus();
      }, 1500);
    }
    const url = main.dataset.heartbeat;
    const every = (parseInt(main.dataset.heartbeatEvery, 10) || 60) * 1000;
    if (url) {
      setInterval(async () => {
        try {
          const response = await fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } });
          if (response.status === 401 || response.status === 403 || (response.redirected && /\/login/.test(response.url))) {
            window.location.href = main.dataset.login;
          } else if (response.headers.get("HX-Refresh") === "true") {
            window.location.reload();
          }
        } catch (err) {
          // offline for a moment: the next beat tries again
        }
      }, every);
    }
  }

  function kioskTicket(main) {
    const after = (parseInt(main.dataset.backAfter, 10) || 25) * 1000;
    setTimeout(() => { window.location.href = main.dataset.backTo; }, after);
    const print = main.querySelector("[data-print]");
    if (print) print.addEventListener("click", () => window.print());
  }

  /* --- board -------------------------------------------------------------------------------------------- */
  function board(main) {
    const audio = new Audio(main.dataset.chime);
    const soundButton = main.querySelector("[data-sound]");
    const offline = main.querySelector("[data-offline]");
    let lastCall = (main.querySelector("[data-call]") || {}).dataset?.call || "";

    // Browsers play sound only after a tap on the page (a TV's kiosk browser can be started to allow it).
    audio.play().then(() => audio.pause()).catch(() => { if (soundButton) soundButton.hidden = false; });
    if (soundButton) {
      soundButton.addEventListener("click", () => {
        audio.play().then(() => { soundButton.hidden = true; }).catch(() => {});
      });
    }

    function voice() {
      if (!("speechSynthesis" in window)) return null;
      const lang = document.documentElement.lang || "vi";
      return speechSynthesis.getVoices().find((v) => v.lang && v.lang.toLowerCase().startsWith(lang)) || null;
    }

    function announce(section) {
      audio.currentTime = 0;
      audio.play().catch(() => {});
      const words = section.dataset.say;
      const found = voice();
      if (words && found) {
        setTimeout(() => {
          const utterance = new SpeechSynthesisUtterance(words);
          utterance.voice = found;
          utterance.lang = found.lang;
          speechSynthesis.speak(utterance);
        }, 900);
      }
    }

    document.body.addEventListener("htmx:sseMessage", (event) => {
      const section = main.querySelector("#board-call [data-call]");
      if (!section || event.target.id !== "board-call") return;
      if (section.dataset.call && section.dataset.call !== lastCall) announce(section);
      lastCall = section.dataset.call;
    });
    // The server ends each stream after a minute or so and the browser reconnects at once: say "reconnecting"
    // only when the connection stays down.
    let down = 0;
    document.body.addEventListener("htmx:sseError", () => {
      main.dataset.live = "off";
      if (!down) down = setTimeout(() => { if (offline) offline.hidden = false; }, 3000);
    });
    document.body.addEventListener("htmx:sseOpen", () => {
      clearTimeout(down);
      down = 0;
      if (offline) offline.hidden = true;
      main.dataset.live = "on"; // for a look at the TV, and for the browser tests
    });
  }

  /* --- a ticket on a phone ------------------------------------------------------------------------------ */
  function ticket(live) {
    let status = (live.querySelector("[data-ticket-status]") || {}).dataset?.ticketStatus;
    document.body.addEventListener("htmx:sseMessage", (event) => {
      if (event.target.id !== "ticket-live") return;
      const now = (live.querySelector("[data-ticket-status]") || {}).dataset?.ticketStatus;
      if (now === "called" && status !== "called" && navigator.vibrate) navigator.vibrate([300, 150, 300]);
      status = now;
    });
  }

  function setUp() {
    const kioskMain = document.querySelector("[data-kiosk]");
    if (kioskMain) kiosk(kioskMain);
    const ticketMain = document.querySelector("[data-back-to]");
    if (ticketMain) kioskTicket(ticketMain);
    const boardMain = document.querySelector("[data-board]");
    if (boardMain) board(boardMain);
    const live = document.getElementById("ticket-live");
    if (live) ticket(live);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
