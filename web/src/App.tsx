import { lazy, Suspense } from 'react';
import { Center, Loader } from '@mantine/core';
import { Route, Routes } from 'react-router';
import { Layout } from './Layout';
import { SessionProvider, useSession } from './lib/session';
import { FeatureViewPage } from './pages/FeatureViewPage';
import { FeaturesPage } from './pages/features/FeaturesPage';
import { GovernancePage } from './pages/governance/GovernancePage';
import { HomePage } from './pages/HomePage';
import { ModelPage } from './pages/ModelPage';
import { ProductPage } from './pages/ProductPage';
import { SearchPage } from './pages/SearchPage';
import { SignInPage } from './pages/SignInPage';

// React Flow and elkjs are the heaviest parts: loaded only when the lineage page opens.
const LineagePage = lazy(() => import('./pages/LineagePage'));
// The canvas editor and its YAML writer: only for those who design.
const DesignPage = lazy(() => import('./pages/design/DesignPage'));

function Pages() {
  const { viewer } = useSession();
  if (viewer === undefined)
    return (
      <Center h="100vh">
        <Loader aria-label="Loading" />
      </Center>
    );
  if (viewer === null) return <SignInPage />;
  return (
    <Layout>
      <Suspense fallback={<Loader aria-label="Loading" />}>
        <Routes>
          <Route path="/" element={<HomePage />} />
          <Route path="/search" element={<SearchPage />} />
          <Route path="/products/:id" element={<ProductPage />} />
          <Route path="/lineage/:id" element={<LineagePage />} />
          <Route path="/features" element={<FeaturesPage />} />
          <Route path="/features/:name" element={<FeatureViewPage />} />
          <Route path="/models/:name" element={<ModelPage />} />
          <Route path="/governance" element={<GovernancePage />} />
          <Route path="/design" element={<DesignPage />} />
          <Route path="/design/:id" element={<DesignPage />} />
          <Route path="*" element={<p>No such page.</p>} />
        </Routes>
      </Suspense>
    </Layout>
  );
}

export function App() {
  return (
    <SessionProvider>
      <Pages />
    </SessionProvider>
  );
}
