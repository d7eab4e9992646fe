import { Anchor, createTheme, DEFAULT_THEME, type CSSVariablesResolver } from '@mantine/core';

// Mantine's defaults put some text under WCAG AA contrast (4.5:1): blue.6 buttons with white text,
// gray dimmed text, light and outline badges. The portal uses darker shades in light mode and
// lighter ones in dark mode; axe-core checks both (test/browser/portal-journey.spec.ts).
// Links are underlined: in running text colour alone does not tell them apart (axe link-in-text-block).
export const theme = createTheme({ primaryColor: 'blue', primaryShade: { light: 8, dark: 8 }, autoContrast: true, components: { Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }) } });

const COLORS = ['blue', 'red', 'orange', 'green', 'gray'] as const;
const c = DEFAULT_THEME.colors;

export const cssVariables: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': c.gray[7],
    // Field errors (the design page's dry-run findings): red.6 is 3.3:1 on white.
    '--mantine-color-error': c.red[9],
    '--mantine-color-placeholder': c.gray[7],
    '--mantine-primary-color-light-color': c.blue[9],
    ...Object.fromEntries(
      COLORS.flatMap((k) => [
        [`--mantine-color-${k}-light-color`, c[k][9]],
        [`--mantine-color-${k}-outline`, c[k][9]],
        [`--mantine-color-${k}-text`, c[k][9]],
      ]),
    ),
  },
  dark: {
    '--mantine-color-dimmed': c.dark[1],
    '--mantine-color-error': c.red[3],
    '--mantine-color-placeholder': c.dark[1],
    '--mantine-color-anchor': c.blue[3],
    '--mantine-primary-color-light-color': c.blue[2],
    ...Object.fromEntries(
      COLORS.flatMap((k) => [
        [`--mantine-color-${k}-light-color`, c[k][2]],
        [`--mantine-color-${k}-outline`, c[k][3]],
        [`--mantine-color-${k}-text`, c[k][3]],
      ]),
    ),
  },
});
