import type { Metadata } from "next";
import Link from "next/link";
import { callServer } from "~/trpc/server";
import { CallError } from "../_components/call-error";

export const metadata: Metadata = { title: "Lessons" };

export default async function LessonsPage() {
  const result = await callServer((api) => api.lesson.list.query(), "/lessons");
  return (
    <>
      <h1>Lessons</h1>
      {!result.ok ? (
        <CallError what="lessons" error={result.error} />
      ) : result.data.length === 0 ? (
        <p className="muted">No lessons yet.</p>
      ) : (
        <div className="panel">
          <table data-testid="lessons">
            <thead>
              <tr>
                <th>Lesson</th>
                <th>Course</th>
                <th className="num">Participants</th>
                <th className="num">Tester accounts</th>
                <th className="num">Online</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {result.data.map((lesson) => (
                <tr key={lesson.id} data-lesson-id={lesson.id}>
                  <td>
                    {lesson.name} <span className="muted small">#{lesson.id}</span>
                  </td>
                  <td>
                    {lesson.courseName} <span className="muted small">#{lesson.courseId}</span>
                  </td>
                  <td className="num">{lesson.participants}</td>
                  <td className="num">{lesson.testerAccounts}</td>
                  <td className="num">{lesson.online}</td>
                  <td>
                    <span className={`badge ${lesson.active ? "ok" : ""}`}>{lesson.active ? "active" : "inactive"}</span>
                  </td>
                  <td className="row">
                    <Link href={`/lessons/${lesson.id}/monitor`}>Live monitor</Link>
                    <Link href={`/load-tests?lessonId=${lesson.id}`}>Load test</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
