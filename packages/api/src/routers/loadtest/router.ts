import { router } from "../../trpc.js";
import { createLoadTest } from "./create-load-test.js";
import { startLoadTest } from "./start-load-test.js";
import { extendLoadTest } from "./extend-load-test.js";
import { stopLoadTest } from "./stop-load-test.js";
import { deleteLoadTest } from "./delete-load-test.js";
import { listLoadTests } from "./list-load-tests.js";
import { getLoadTest } from "./get-load-test.js";
import { onLoadTestEvent } from "./on-load-test-event.js";
import { getLoadTestResults } from "./get-load-test-results.js";

export const loadtestRouter = router({
  create: createLoadTest,
  start: startLoadTest,
  extend: extendLoadTest,
  stop: stopLoadTest,
  delete: deleteLoadTest,
  list: listLoadTests,
  get: getLoadTest,
  watch: onLoadTestEvent,
  results: getLoadTestResults,
});
