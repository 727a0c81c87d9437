import type { Topology } from "../systems/topology.js";

/** N clients in one room (Cohort: the teacher's project), each editing its own file; everyone receives everything. */
export function fanoutTopology(clients: number): Topology {
  return {
    rooms: [{ name: "room", owner: "teacher" }],
    clients: Array.from({ length: clients }, (_, i) => ({ role: "student" as const, watch: ["room"], send: { room: "room", file: `c${i}.txt` } })),
  };
}

/**
 * A class: every student types in their own project (room p<i>, file main.py); in `pairs` pairs
 * the second student co-edits the first one's file instead; the teacher (last client) watches
 * every student's project.
 */
export function classroomTopology(students: number, pairs: number): Topology {
  const rooms = Array.from({ length: students }, (_, i) => ({ name: `p${i}`, owner: i }));
  const clients: Topology["clients"] = Array.from({ length: students }, (_, i) => {
    const partnerOf = i < pairs * 2 && i % 2 === 1 ? i - 1 : i;
    return { role: "student" as const, watch: [`p${partnerOf}`], send: { room: `p${partnerOf}`, file: "main.py" } };
  });
  clients.push({ role: "teacher", watch: rooms.map((r) => r.name), send: undefined });
  return { rooms, clients };
}

/** Idle clients subscribed to one room (Cohort: `project.watch` of the teacher's project). */
export function idleTopology(clients: number): Topology {
  return {
    rooms: [{ name: "lobby", owner: "teacher" }],
    clients: Array.from({ length: clients }, () => ({ role: "student" as const, watch: ["lobby"], send: undefined })),
  };
}
