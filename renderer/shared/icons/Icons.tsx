/**
 * The workbench's icons, drawn on a 24-unit grid with 1.6-unit strokes in
 * currentColor so they take the colour of their button in both themes.
 * Decorative by default (aria-hidden); the button around an icon carries the label.
 */
import type { ReactNode, SVGProps } from 'react';

export type IconProps = Omit<SVGProps<SVGSVGElement>, 'children'> & { size?: number };

function Icon({ size = 24, children, ...rest }: IconProps & { children: ReactNode }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      {...rest}
    >
      {children}
    </svg>
  );
}

/** Two sheets of paper: the board's files and the local project. */
export function FilesIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M8 3.5h6.5L19 8v10.5a1.5 1.5 0 0 1-1.5 1.5H8A1.5 1.5 0 0 1 6.5 18.5v-13A1.5 1.5 0 0 1 8 3.5z" />
      <path d="M14.5 3.5V8H19" />
      <path d="M3.5 7.5v12A2 2 0 0 0 5.5 21.5h9" />
    </Icon>
  );
}

/** A broadcasting node: publish/subscribe traffic. */
export function MqttIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <circle cx="12" cy="12" r="1.8" />
      <path d="M8.5 8.5a5 5 0 0 0 0 7" />
      <path d="M15.5 8.5a5 5 0 0 1 0 7" />
      <path d="M5.6 5.6a9 9 0 0 0 0 12.8" />
      <path d="M18.4 5.6a9 9 0 0 1 0 12.8" />
    </Icon>
  );
}

/** A chip with a bolt: writing firmware to the board. */
export function FlashIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="5.5" y="5.5" width="13" height="13" rx="2" />
      <path d="M9 2.5v3M15 2.5v3M9 18.5v3M15 18.5v3M2.5 9h3M2.5 15h3M18.5 9h3M18.5 15h3" />
      <path d="M12.8 8.2 10 12.4h4l-2.8 4.2" />
    </Icon>
  );
}

export function CloseIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M7 7l10 10M17 7 7 17" />
    </Icon>
  );
}

export function RefreshIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M19.5 12a7.5 7.5 0 1 1-2.2-5.3" />
      <path d="M19.5 4.5v4h-4" />
    </Icon>
  );
}

/** A USB plug: a serial port. */
export function UsbIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 21V6" />
      <path d="M9.5 5 12 2.5 14.5 5z" />
      <path d="M12 15.5 7 12.5V10" />
      <circle cx="7" cy="9" r="1.2" />
      <path d="M12 13l5-3V8" />
      <rect x="15.8" y="5.6" width="2.4" height="2.4" />
      <circle cx="12" cy="20" r="1.5" />
    </Icon>
  );
}

/** A chip outline: the simulated board. */
export function VirtualBoardIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="6" y="6" width="12" height="12" rx="1.5" strokeDasharray="2.4 1.8" />
      <path d="M9.5 3v3M14.5 3v3M9.5 18v3M14.5 18v3M3 9.5h3M3 14.5h3M18 9.5h3M18 14.5h3" />
      <rect x="9.5" y="9.5" width="5" height="5" rx="0.8" />
    </Icon>
  );
}

export function PlugIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M9 3v5M15 3v5" />
      <path d="M6.5 8h11v3a5.5 5.5 0 0 1-11 0z" />
      <path d="M12 16.5V21" />
    </Icon>
  );
}

export function TerminalIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="3" y="4.5" width="18" height="15" rx="2" />
      <path d="m7 9.5 3 2.5-3 2.5M12 15h5" />
    </Icon>
  );
}

export function TrashIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M4.5 7h15M10 7V4.5h4V7" />
      <path d="M6.5 7l.9 12.2a1.5 1.5 0 0 0 1.5 1.3h6.2a1.5 1.5 0 0 0 1.5-1.3L17.5 7" />
      <path d="M10.3 11v6M13.7 11v6" />
    </Icon>
  );
}

export function ChevronDownIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="m6.5 9.5 5.5 5.5 5.5-5.5" />
    </Icon>
  );
}

export function ChevronUpIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="m6.5 14.5 5.5-5.5 5.5 5.5" />
    </Icon>
  );
}

export function WarningIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 3.5 21.5 20h-19z" />
      <path d="M12 10v4.5M12 17.3v.2" />
    </Icon>
  );
}

/** Two arcs around a dot, filled when connected. */
export function HostIcon({ connected, ...props }: IconProps & { connected: boolean }) {
  return (
    <Icon {...props}>
      <rect x="3.5" y="4.5" width="17" height="12" rx="1.8" />
      <path d="M8.5 20h7M12 16.5V20" />
      <circle cx="12" cy="10.5" r="2" fill={connected ? 'currentColor' : 'none'} />
    </Icon>
  );
}

/** Pinwheel's mark: four curled vanes around a hub. */
export function PinwheelLogo(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 12V3.5a4.25 4.25 0 0 1 4.25 4.25z" />
      <path d="M12 12h8.5a4.25 4.25 0 0 1-4.25 4.25z" />
      <path d="M12 12v8.5a4.25 4.25 0 0 1-4.25-4.25z" />
      <path d="M12 12H3.5a4.25 4.25 0 0 1 4.25-4.25z" />
      <circle cx="12" cy="12" r="0.9" fill="currentColor" />
    </Icon>
  );
}

export function PlayIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M7.5 5v14l11-7z" />
    </Icon>
  );
}

export function StopIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="6.5" y="6.5" width="11" height="11" rx="1.5" />
    </Icon>
  );
}

/** A floppy disk: save. */
export function SaveIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M5 4h11l3 3v12a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1z" />
      <path d="M8 4v5h7V4M8 20v-6h8v6" />
    </Icon>
  );
}

/** A circular arrow: save and reset. */
export function RestartIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M4.5 12a7.5 7.5 0 1 0 2.2-5.3" />
      <path d="M4.5 4.5v4h4" />
    </Icon>
  );
}

export function CopyIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <rect x="8.5" y="8.5" width="11" height="11" rx="1.5" />
      <path d="M15.5 8.5V6a1.5 1.5 0 0 0-1.5-1.5H6A1.5 1.5 0 0 0 4.5 6v8A1.5 1.5 0 0 0 6 15.5h2.5" />
    </Icon>
  );
}

export function FileIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M6 3.5h8l4 4V20a.5.5 0 0 1-.5.5h-11A.5.5 0 0 1 6 20z" />
      <path d="M14 3.5v4h4" />
    </Icon>
  );
}

export function NewFileIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M13 20.5H6.5A.5.5 0 0 1 6 20V4a.5.5 0 0 1 .5-.5H14l4 4V12" />
      <path d="M14 3.5v4h4M18 15v6M15 18h6" />
    </Icon>
  );
}

export function FolderIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M3.5 6.5a1 1 0 0 1 1-1h4.2l2 2h8.8a1 1 0 0 1 1 1V18a1 1 0 0 1-1 1h-15a1 1 0 0 1-1-1z" />
    </Icon>
  );
}

export function NewFolderIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 19H4.5a1 1 0 0 1-1-1V6.5a1 1 0 0 1 1-1h4.2l2 2h8.8a1 1 0 0 1 1 1V12" />
      <path d="M18 14.5v6M15 17.5h6" />
    </Icon>
  );
}

export function UploadIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 15.5V4M7.5 8.5 12 4l4.5 4.5" />
      <path d="M4.5 15v3.5a1.5 1.5 0 0 0 1.5 1.5h12a1.5 1.5 0 0 0 1.5-1.5V15" />
    </Icon>
  );
}

export function DownloadIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M12 4v11.5M7.5 11 12 15.5 16.5 11" />
      <path d="M4.5 15v3.5a1.5 1.5 0 0 0 1.5 1.5h12a1.5 1.5 0 0 0 1.5-1.5V15" />
    </Icon>
  );
}

/** A pencil: rename. */
export function EditIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M15 5.5 18.5 9 9 18.5H5.5V15z" />
      <path d="M13 7.5l3.5 3.5" />
    </Icon>
  );
}

export function ChevronRightIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="m9.5 6 6 6-6 6" />
    </Icon>
  );
}

/** Two arrows in a circle: sync changed files. */
export function SyncIcon(props: IconProps) {
  return (
    <Icon {...props}>
      <path d="M19 10.5A7.2 7.2 0 0 0 6 8.2M5 13.5A7.2 7.2 0 0 0 18 15.8" />
      <path d="M6 4.5v3.7h3.7M18 19.5v-3.7h-3.7" />
    </Icon>
  );
}
