/**
 * tRPC's WebSocket frames, built from parts so that what every watcher of an event shares is
 * encoded once: a frame is `{"id":<request>,["jsonrpc":"2.0",]"result":{"type":"data",<fields>}}`.
 */

/** The start of every frame answering one request, up to `"type":"data",`. */
export function frameHead(id: string | number | null, jsonrpc: "2.0" | undefined): string {
  const version = jsonrpc === undefined ? "" : `"jsonrpc":${JSON.stringify(jsonrpc)},`;
  return `{"id":${JSON.stringify(id)},${version}"result":{"type":"data",`;
}

/** The end of a tracked subscription item's frame (tRPC repeats the event id inside the data). */
export function trackedFields(eventId: string, dataJson: string): string {
  const id = JSON.stringify(eventId);
  return `"id":${id},"data":{"id":${id},"data":${dataJson}}}}`;
}

/** The end of a query or mutation reply's frame. */
export function replyFields(dataJson: string): string {
  return `"data":${dataJson}}}`;
}
