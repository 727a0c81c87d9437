/**
 * Node flags the server runs with (`npm start`, the bench; the server workspace's own `start` script
 * repeats them; deployments should pass them too).
 *
 * A larger young generation: every delivered event allocates short-lived objects (tRPC's reply
 * objects, promises, the frame), and with the default 16 MB semi-space the scavenger ran so often
 * that it took a fifth of the server's time in the fanout-100 profile; at 64 MB it took a tenth.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ["--max-semi-space-size=64"];
