"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { LoadTest } from "~/trpc/types";
import { browserApi, errorMessage } from "~/trpc/react";

/** Start, extend, stop and delete, each offered only in the states where the server allows it. */
export function TestControls({ test, onChange }: { test: LoadTest; onChange: (test: LoadTest) => void }) {
  const router = useRouter();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [addSec, setAddSec] = useState("30");
  const [confirmDelete, setConfirmDelete] = useState(false);
  const active = test.state === "launching" || test.state === "running";

  async function run(name: string, action: () => Promise<void>) {
    setBusy(name);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  }

  const api = () => browserApi().loadtest;
  return (
    <div>
      <div className="row">
        {test.state === "created" ? (
          <button className="primary" disabled={busy !== null} onClick={() => run("start", async () => onChange(await api().start.mutate({ testId: test.id })))}>
            {busy === "start" ? "Starting…" : "Start"}
          </button>
        ) : null}
        {active ? (
          <>
            <label className="row" style={{ flexDirection: "row", alignItems: "center" }}>
              <input aria-label="seconds to add" value={addSec} onChange={(e) => setAddSec(e.target.value)} style={{ width: "5rem" }} inputMode="numeric" />
              <button
                disabled={busy !== null}
                onClick={() => {
                  const seconds = Number(addSec);
                  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 3_600) {
                    setError("add 1 to 3 600 whole seconds");
                    return;
                  }
                  void run("extend", async () => onChange(await api().extend.mutate({ testId: test.id, addSec: seconds })));
                }}
              >
                Extend
              </button>
            </label>
            <button className="danger" disabled={busy !== null} onClick={() => run("stop", async () => onChange(await api().stop.mutate({ testId: test.id })))}>
              {busy === "stop" ? "Stopping…" : "Stop"}
            </button>
          </>
        ) : null}
        <span className="spacer" />
        {confirmDelete ? (
          <>
            <span className="small">Delete the test, its reports and its tester accounts?</span>
            <button
              className="danger"
              disabled={busy !== null}
              onClick={() =>
                run("delete", async () => {
                  await api().delete.mutate({ testId: test.id });
                  router.push("/load-tests");
                  router.refresh();
                })
              }
            >
              Yes, delete
            </button>
            <button onClick={() => setConfirmDelete(false)}>Keep</button>
          </>
        ) : (
          <button className="danger" disabled={busy !== null} onClick={() => setConfirmDelete(true)}>
            Delete
          </button>
        )}
      </div>
      {error ? (
        <div className="alert" role="alert" style={{ marginTop: "0.8rem" }}>
          {error}
        </div>
      ) : null}
    </div>
  );
}
