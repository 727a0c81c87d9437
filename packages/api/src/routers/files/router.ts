import { router } from "../../trpc.js";
import { listFiles } from "./list-files.js";
import { readFile } from "./read-file.js";
import { createFile } from "./create-file.js";
import { writeFile } from "./write-file.js";
import { renameFile } from "./rename-file.js";
import { deleteFile } from "./delete-file.js";

export const filesRouter = router({
  list: listFiles,
  read: readFile,
  create: createFile,
  write: writeFile,
  rename: renameFile,
  delete: deleteFile,
});
