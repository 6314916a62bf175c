// The single-file build's loader (scripts/single-file.mjs appends it to wasm-bindgen's
// bindings, inside the page's one inline module script). The wasm is in the page too,
// base64 in a <script type="application/wasm+base64"> data block that never runs: the
// page opens from file:// with no server and makes no request at all. No service
// worker either: the file itself is what a reader keeps offline.

function decodeBase64(text) {
  // Uint8Array.fromBase64 is new (2025); the loop is the portable way, and fast enough.
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const wasmBlock = document.getElementById('docbao-wasm');
const wasmBytes = decodeBase64(wasmBlock.textContent.trim());
// The base64 copy is no longer needed: let the page drop it.
wasmBlock.remove();
// Asynchronous compilation: a big corpus makes a big wasm, and browsers refuse to
// compile big modules synchronously on the main thread (so not initSync).
await __wbg_init({ module_or_path: wasmBytes });
