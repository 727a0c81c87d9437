import { AppError } from "../errors.js";

export function lessonNotFound(lessonId: number): AppError {
  return new AppError("LESSON_NOT_FOUND", `Lesson ${lessonId} does not exist`);
}

export function notAMember(lessonId: number): AppError {
  return new AppError("NOT_A_MEMBER", `You are not a member of the course of lesson ${lessonId}`);
}
