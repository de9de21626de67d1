# Every dependency is a Debian package installed by scripts/install-deps.sh.
find_package(Torch REQUIRED)
find_package(ITK 5.2 REQUIRED COMPONENTS
  ITKCommon ITKIOImageBase ITKIOGDCM ITKIONIFTI ITKIONRRD ITKIOMeta
  ITKImageGrid ITKImageFilterBase ITKThresholding ITKMathematicalMorphology
  ITKBinaryMathematicalMorphology ITKLabelMap ITKConnectedComponents ITKImageFusion)
find_package(GDCM REQUIRED)
find_package(DCMTK REQUIRED CONFIG)  # DICOM SEG and SR output (dcmseg, dcmsr)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)  # the review page's server (Debian builds it as a library)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(Eigen3 3.3 REQUIRED NO_MODULE)
find_package(NLopt REQUIRED)
find_package(PNG REQUIRED)
find_package(Threads REQUIRED)
if(L3SLICE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(L3SLICE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
