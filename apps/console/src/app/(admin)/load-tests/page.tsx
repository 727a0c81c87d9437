import type { Metadata } from "next";
import { env } from "~/env";
import { callServer } from "~/trpc/server";
import { CallError } from "../_components/call-error";
import { CreateLoadTestForm } from "./_components/create-load-test-form";
import { LoadTestTable } from "./_components/load-test-table";

export const metadata: Metadata = { title: "Load tests" };

export default async function LoadTestsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { lessonId } = await searchParams;
  const [tests, lessons] = await Promise.all([
    callServer((api) => api.loadtest.list.query(), "/load-tests"),
    callServer((api) => api.lesson.list.query(), "/load-tests"),
  ]);
  return (
    <>
      <h1>Load tests</h1>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>New test</h2>
        {lessons.ok ? (
          <CreateLoadTestForm
            lessons={lessons.data.map((l) => ({ id: l.id, name: l.name, courseName: l.courseName }))}
            defaultServerUrl={env.COHORT_WS_URL}
            initialLessonId={typeof lessonId === "string" ? Number(lessonId) || undefined : undefined}
          />
        ) : (
          <CallError what="lessons" error={lessons.error} />
        )}
      </section>
      <section className="panel">
        <h2 style={{ marginTop: 0 }}>Tests</h2>
        {tests.ok ? <LoadTestTable tests={tests.data} /> : <CallError what="load tests" error={tests.error} />}
      </section>
    </>
  );
}
