// The parts of @micropython/micropython-webassembly-pyscript 1.27.0 (ESM, shipped
// without types) that the virtual board uses.
declare module '@micropython/micropython-webassembly-pyscript' {
  export interface MicroPythonFS {
    readdir(path: string): string[];
    stat(path: string): { mode: number; size: number; mtime: Date };
    isDir(mode: number): boolean;
    isFile(mode: number): boolean;
    readFile(path: string): Uint8Array;
    writeFile(path: string, data: Uint8Array | string): void;
    mkdir(path: string): void;
    rmdir(path: string): void;
    unlink(path: string): void;
  }

  export interface MicroPythonModule {
    FS: MicroPythonFS;
  }

  export interface MicroPython {
    _module: MicroPythonModule;
    FS: MicroPythonFS;
    registerJsModule(name: string, module: object): void;
    runPython(code: string): unknown;
    replInit(): void;
    /** Feeds one input byte; non-zero when the REPL asks for a soft reset. */
    replProcessChar(chr: number): number;
  }

  export interface LoadOptions {
    heapsize?: number;
    pystack?: number;
    linebuffer?: boolean;
    url?: string;
    /** Called synchronously for each byte Python reads from stdin; null ends the read. */
    stdin?: () => number | null;
    stdout?: (data: Uint8Array) => void;
    stderr?: (data: Uint8Array) => void;
  }

  export function loadMicroPython(options?: LoadOptions): Promise<MicroPython>;
}
