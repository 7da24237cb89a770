import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { datasetLayout } from '../../src/operations/dataset-layout.js';
import { tempDir } from '../cli/fhir-store-helpers.js';

t.test('stores of a dataset: named sub-folders, or `default` for data directly inside', async (t) => {
  const root = tempDir(t);
  fs.mkdirSync(path.join(root, 'fhir', 'b'), { recursive: true });
  fs.mkdirSync(path.join(root, 'fhir', 'a'), { recursive: true });
  fs.mkdirSync(path.join(root, 'fhir', '.hidden'), { recursive: true });
  fs.mkdirSync(path.join(root, 'dicom'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dicom', 'img1'), 'x');
  const l = datasetLayout(root);
  t.same(l.fhir.map((s) => s.name), ['a', 'b'], 'sorted, hidden folders left out');
  t.same(l.dicom, [{ name: 'default', dir: path.join(root, 'dicom') }]);
  fs.writeFileSync(path.join(root, 'fhir', 'Patient.ndjson.gz'), '');
  t.same(datasetLayout(root).fhir, [{ name: 'default', dir: path.join(root, 'fhir') }], 'data files make fhir/ one store');
  t.same(datasetLayout(path.join(root, 'nothing-here')), { fhir: [], dicom: [] });
  fs.writeFileSync(path.join(root, 'file-not-folder'), '');
  t.same(datasetLayout(path.join(root, 'file-not-folder')), { fhir: [], dicom: [] });
});
