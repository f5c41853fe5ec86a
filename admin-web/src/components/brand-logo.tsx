/** The CampusPay mark (also the favicon). */
export function BrandLogo({ size = 32 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" role="img" aria-label="CampusPay">
      <rect width="32" height="32" rx="7" fill="#1d5bd8" />
      <path
        d="M16 6 5 11.5 16 17l9-4.5V19h2v-7.5L16 6Zm-6 9.6v4.2c0 1.9 2.7 3.9 6 3.9s6-2 6-3.9v-4.2l-6 3-6-3Z"
        fill="#fff"
      />
    </svg>
  );
}
