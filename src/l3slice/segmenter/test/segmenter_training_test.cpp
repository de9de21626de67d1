// Training the U-Net on a small phantom dataset: the loss falls, and on phantoms it did not see the
// muscle it finds overlaps the phantom's own muscle (Dice), through bodycomp's HU ranges.
#include <gtest/gtest.h>

#include <memory>

#include "l3slice/bodycomp/body_composition.h"
#include "l3slice/phantom/phantom.h"
#include "l3slice/phantom/phantom_dataset.h"
#include "l3slice/segmenter/segmenter_training.h"
#include "l3slice/segmenter/unet_bodycomp.h"
#include "support/test_support.h"

TEST(SegmenterTraining, LearnsPhantomMuscleThatHoldsOnUnseenPhantoms) {
  l3::testing::TempDir dir;
  l3::PhantomDatasetOptions data;
  data.count = 8;
  data.seed = 300;
  data.no_l3_fraction = 0.0;
  data.progress = nullptr;
  l3::write_phantom_dataset(dir / "train", data);

  l3::SegmenterTrainingOptions o;
  o.label_values = l3::parse_tissue_label_values("phantom");
  o.arch = {1, 5, 8, 4};
  o.geometry = {128, 3.5};
  o.epochs = 12;
  o.slices_per_case = 6;
  o.progress = nullptr;
  const auto r = l3::train_segmenter(dir / "train" / "tissue-manifest.csv", dir / "u.l3u", o);
  EXPECT_EQ(r.slices, 48);
  EXPECT_LT(r.last_epoch_loss, 0.5 * r.first_epoch_loss);

  auto model = std::make_shared<l3::LoadedSegmenter>(l3::load_segmenter(dir / "u.l3u"));
  l3::BodyCompOptions unet;
  unet.segmenter = l3::unet_slice_segmenter(model);
  for (unsigned seed : {901u, 902u}) {
    l3::PhantomOptions p = l3::random_phantom_options(seed, 0.0);
    p.fov_inferior_mm = -10;
    p.fov_superior_mm = 10;
    const l3::Phantom ph = l3::make_phantom(p);
    const int z = ph.l3_body->middle();
    const auto m = l3::measure_body_composition(ph.ct, z, unet);
    long ours = 0, truth = 0, both = 0;
    const l3::TissueThresholds t;
    for (std::size_t i = 0; i < m.labels.voxels.size(); ++i) {
      const bool o_m = m.labels.voxels[i] == uint8_t(l3::BodyLabel::muscle);
      const bool t_m = ph.tissues.slice(z)[i] == uint8_t(l3::Tissue::muscle) && t.muscle.contains(ph.ct.hu.slice(z)[i]);
      ours += o_m, truth += t_m, both += o_m && t_m;
    }
    const double dice = 2.0 * double(both) / double(ours + truth);
    std::printf("seed %u: muscle Dice %.3f, SMA %.1f cm2\n", seed, dice, m.composition.sma_cm2);
    EXPECT_GT(dice, 0.8) << seed;
  }
}
