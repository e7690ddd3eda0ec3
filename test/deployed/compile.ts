import ts from 'typescript'

/** The compiler options of the project (tsconfig.json), for checking fixture files. */
export const projectOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  exactOptionalPropertyTypes: true,
  noUncheckedIndexedAccess: true,
  skipLibCheck: true,
  noEmit: true,
  types: ['node'],
}

/** One error in a checked file. */
export interface FileError {
  readonly file: string
  /** 1-based line. */
  readonly line: number
  readonly message: string
}

/**
 * Type-check `rootNames` and return the errors in `files` (errors elsewhere, say in the library
 * while someone edits it, are not the fixtures' business and are returned apart).
 */
export const typeCheck = (
  rootNames: readonly string[],
  files: readonly string[],
  oldProgram?: ts.Program,
): { errors: FileError[]; elsewhere: string[]; program: ts.Program } => {
  const program = ts.createProgram({ rootNames: [...rootNames], options: projectOptions, ...(oldProgram === undefined ? {} : { oldProgram }) })
  const wanted = new Set(files.map((f) => f.replaceAll('\\', '/')))
  const errors: FileError[] = []
  const elsewhere: string[] = []
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(d.messageText, '\n')
    if (d.file === undefined || !wanted.has(d.file.fileName)) {
      elsewhere.push(`${d.file?.fileName ?? '(global)'}: ${message}`)
      continue
    }
    const { line } = d.file.getLineAndCharacterOfPosition(d.start ?? 0)
    errors.push({ file: d.file.fileName, line: line + 1, message })
  }
  return { errors, elsewhere, program }
}
