/* The camera scanner for the QR code on a citizen ID card (CCCD), in templates/housing/_scan_forms.html.
 *
 * The markup keeps the scanner hidden; it is shown only where the browser can open a camera, so a phone
 * without JavaScript or without a camera API never sees a button that does nothing. The text of a read QR
 * goes into the page's qr_text field and that form is sent, so the server reads it exactly as typed text and
 * answers with the same confirm form. Frames are read by the browser's own BarcodeDetector where it knows QR
 * codes, otherwise by the vendored jsQR, fetched only when the camera starts. Every message is taken from
 * the markup's data- attributes, translated by the server.
 *
 * With htmx, a boosted page load runs this file again: the second run only sets up scanners not yet set up.
 */
(() => {
  "use strict";
  if (window.cccdScanner) return window.cccdScanner.setUpAll();
  if (!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)) return; // stays hidden

  const JSQR = "/static/vendor/jsqr-1.4.0/jsQR.js";
  const EVERY_MS = 150; // how often a frame is read: quick enough, and spares a cheap phone's battery
  const MAX_SIDE = 960; // frames are scaled down to this for jsQR; a card held in the picture still reads
  let current = null; // the running scan: at most one per page

  const loadScript = (src) =>
    new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.append(script);
    });

  /* A function that reads a QR code's text from the video's current frame, or null. */
  async function makeDecoder() {
    if ("BarcodeDetector" in window) {
      try {
        if ((await BarcodeDetector.getSupportedFormats()).includes("qr_code")) {
          const detector = new BarcodeDetector({ formats: ["qr_code"] });
          return async (video) => {
            const codes = await detector.detect(video);
            return codes.length ? codes[0].rawValue : null;
          };
        }
      } catch (err) {
        // a detector that cannot start: jsQR reads instead
      }
    }
    if (!window.jsQR) await loadScript(JSQR);
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    return async (video) => {
      const scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const frame = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
      return code ? code.data : null;
    };
  }

  function stopTracks(stream) {
    if (stream) stream.getTracks().forEach((track) => track.stop());
  }

  /* Turn the camera off and put the scanner back as it was. */
  function stop() {
    const scan = current;
    if (!scan) return;
    current = null;
    clearTimeout(scan.timer);
    stopTracks(scan.stream);
    scan.video.srcObject = null;
    scan.view.hidden = true;
    scan.start.disabled = false;
  }

  function messageFor(box, err) {
    const name = err && err.name;
    if (name === "NotAllowedError" || name === "SecurityError") return box.dataset.denied;
    if (name === "NotFoundError" || name === "OverconstrainedError") return box.dataset.noCamera;
    return box.dataset.failed;
  }

  async function read(scan, decode) {
    if (current !== scan) return;
    if (!scan.video.isConnected) return stop(); // the page was replaced (htmx) while the camera was on
    let text = null;
    if (scan.video.readyState >= 2) {
      try {
        text = await decode(scan.video);
      } catch (err) {
        text = null; // a frame that cannot be read: try the next one
      }
    }
    if (current !== scan) return;
    if (!text) {
      scan.timer = setTimeout(() => read(scan, decode), EVERY_MS);
      return;
    }
    stop();
    scan.field.value = text;
    const form = scan.field.form;
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  function setUp(box) {
    const field = document.getElementById(box.dataset.field);
    if (box.dataset.ready || !field || !field.form) return;
    box.dataset.ready = "1";
    const start = box.querySelector("[data-start]");
    const view = box.querySelector("[data-view]");
    const video = box.querySelector("video");
    const message = box.querySelector("[data-message]");
    const say = (text) => {
      message.textContent = text || "";
      message.hidden = !text;
    };

    start.addEventListener("click", async () => {
      stop();
      say("");
      const scan = { field, start, view, video, stream: null, timer: 0 };
      current = scan;
      start.disabled = true;
      view.hidden = false;
      const decoding = makeDecoder(); // jsQR downloads while the person answers the camera prompt
      decoding.catch(() => {}); // its failure is reported where it is awaited
      try {
        const stream = await navigator.mediaDevices.getUserMedia({
          audio: false,
          video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
        });
        if (current !== scan) return stopTracks(stream); // cancelled while the prompt was open
        scan.stream = stream;
        video.srcObject = stream;
        await video.play();
        const decode = await decoding;
        read(scan, decode);
      } catch (err) {
        if (current !== scan) return;
        stop();
        say(messageFor(box, err));
      }
    });
    box.querySelector("[data-cancel]").addEventListener("click", stop);
    box.hidden = false;
  }

  function setUpAll() {
    document.querySelectorAll(".scanner[data-field]").forEach(setUp);
  }

  // The camera is never left on behind the person's back.
  window.addEventListener("pagehide", stop);
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) stop();
  });
  window.cccdScanner = { setUpAll };
  setUpAll();
})();
