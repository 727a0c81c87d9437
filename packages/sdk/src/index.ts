export { createCohortClient, type CohortClient, type CohortApi } from "./create-client.js";
export { defaultRetryDelayMs, type CohortClientOptions, type ConnectionState } from "./options.js";
export { estimateClock, type ClockEstimate, type TimeSample } from "./time-sync.js";
export { appCodeOf, errorCodeOf, isCohortError } from "./errors/cohort-error.js";
export type { AppRouter } from "@cohort/api";
export { LiveDocument, type CursorPosition, type RemoteCursor, type LiveDocumentOptions } from "./live-document.js";
export { ProjectEventStream, type ProjectEvent, type ProjectEventListener } from "./project-events.js";
export type { ProjectFile, ReadProjectInput } from "./read-project.js";
export { toBase64, fromBase64 } from "./base64.js";
