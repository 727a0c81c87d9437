import { router } from "../../trpc.js";
import { listFiles } from "./list-files.js";
import { readFile } from "./read-file.js";
import { readManyFiles } from "./read-many-files.js";
import { createFile } from "./create-file.js";
import { writeFile } from "./write-file.js";
import { renameFile } from "./rename-file.js";
import { deleteFile } from "./delete-file.js";

export const filesRouter = router({
  list: listFiles,
  read: readFile,
  readMany: readManyFiles,
  create: createFile,
  write: writeFile,
  rename: renameFile,
  delete: deleteFile,
});
