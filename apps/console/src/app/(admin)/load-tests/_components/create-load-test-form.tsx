"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { defaultDraft, EVENT_KINDS, parseDraft, toCreateInput, type LoadTestFormDraft } from "~/lib/load-test-form";
import { browserApi, errorMessage } from "~/trpc/react";

interface LessonOption {
  id: number;
  name: string;
  courseName: string;
}

/** Validated like the server does (see lib/load-test-form.ts); creating does not start anything yet. */
export function CreateLoadTestForm({ lessons, defaultServerUrl, initialLessonId }: { lessons: LessonOption[]; defaultServerUrl: string; initialLessonId?: number | undefined }) {
  const router = useRouter();
  const [draft, setDraft] = useState<LoadTestFormDraft>(() => defaultDraft(defaultServerUrl, initialLessonId ?? lessons[0]?.id));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const set = <K extends keyof LoadTestFormDraft>(key: K, value: LoadTestFormDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const error = (path: string) =>
    errors[path] ? (
      <span className="field-error" role="alert">
        {errors[path]}
      </span>
    ) : null;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setServerError(null);
    const parsed = parseDraft(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const test = await browserApi().loadtest.create.mutate(toCreateInput(parsed.value));
      router.push(`/load-tests/${test.id}`);
    } catch (e) {
      setServerError(errorMessage(e));
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-label="New load test">
      <div className="form-grid">
        <label>
          Lesson
          <select name="lessonId" value={draft.lessonId} onChange={(e) => set("lessonId", e.target.value)}>
            <option value="">–</option>
            {lessons.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name} ({l.courseName}) #{l.id}
              </option>
            ))}
          </select>
          {error("lessonId")}
        </label>
        <label style={{ gridColumn: "span 2" }}>
          Server URL (testers connect here)
          <input name="serverUrl" value={draft.serverUrl} onChange={(e) => set("serverUrl", e.target.value)} />
          {error("serverUrl")}
        </label>
        <label>
          Virtual clients
          <input name="clients" inputMode="numeric" value={draft.clients} onChange={(e) => set("clients", e.target.value)} />
          {error("clients")}
        </label>
        <label>
          Duration (s)
          <input name="durationSec" inputMode="numeric" value={draft.durationSec} onChange={(e) => set("durationSec", e.target.value)} />
          {error("durationSec")}
        </label>
        <label>
          Events / s per client
          <input name="ratePerClient" inputMode="decimal" value={draft.ratePerClient} onChange={(e) => set("ratePerClient", e.target.value)} />
          {error("scenario.ratePerClient")}
        </label>
        <label>
          Launcher
          <select name="launcher" value={draft.launcher} onChange={(e) => set("launcher", e.target.value as "local" | "ecs")}>
            <option value="local">local (processes on the server&apos;s machine)</option>
            <option value="ecs">ECS (Fargate tasks)</option>
          </select>
        </label>
        <label>
          Clients per tester
          <input name="clientsPerTester" inputMode="numeric" value={draft.clientsPerTester} onChange={(e) => set("clientsPerTester", e.target.value)} />
          {error("clientsPerTester")}
        </label>
        <label>
          Target participant (optional)
          <input
            name="targetParticipantId"
            inputMode="numeric"
            placeholder="everyone in their own project"
            value={draft.targetParticipantId}
            onChange={(e) => set("targetParticipantId", e.target.value)}
          />
          {error("targetParticipantId")}
        </label>
      </div>
      <fieldset style={{ border: "1px solid var(--line)", borderRadius: 6, marginTop: "0.8rem" }}>
        <legend className="small muted">Event mix (relative weights)</legend>
        <div className="form-grid">
          {EVENT_KINDS.map((kind) => (
            <label key={kind}>
              {kind}
              <input
                name={`weights.${kind}`}
                inputMode="decimal"
                value={draft.weights[kind]}
                onChange={(e) => set("weights", { ...draft.weights, [kind]: e.target.value })}
              />
              {error(`scenario.weights.${kind}`)}
            </label>
          ))}
        </div>
        {error("scenario.weights")}
      </fieldset>
      {serverError ? (
        <div className="alert" role="alert" style={{ marginTop: "0.8rem" }}>
          {serverError}
        </div>
      ) : null}
      <p className="row" style={{ marginTop: "0.8rem" }}>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Creating…" : "Create test"}
        </button>
        <span className="muted small">Creates the test and its tester accounts; nothing runs until you start it.</span>
      </p>
    </form>
  );
}
