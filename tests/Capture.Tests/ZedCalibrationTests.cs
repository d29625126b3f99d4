using DistDepth.Dataset;

namespace DistDepth.Capture.Tests;

public class ZedCalibrationTests
{
    // The layout of a ZED-2i factory file from calib.stereolabs.com (values of this shape; sections for all
    // four resolutions, [STEREO] with per-resolution rotations, [MISC]); mixed key case as seen in the wild.
    internal const string FactoryFile = """
        [LEFT_CAM_2K]
        fx=1064.23
        fy=1063.91
        cx=1117.52
        cy=624.645
        k1=-0.0581297
        k2=0.0312264
        p1=-0.000176497
        p2=0.000368961
        k3=-0.0127218

        [RIGHT_CAM_2K]
        fx=1063.76
        fy=1063.55
        cx=1126.67
        cy=628.911
        k1=-0.0573912
        k2=0.0297346
        p1=-6.4528e-05
        p2=7.55307e-05
        k3=-0.0122131

        [LEFT_CAM_FHD]
        fx=1064.23
        fy=1063.91
        cx=961.52
        cy=555.645
        k1=-0.0581297
        k2=0.0312264
        p1=-0.000176497
        p2=0.000368961
        k3=-0.0127218

        [RIGHT_CAM_FHD]
        fx=1063.76
        fy=1063.55
        cx=970.67
        cy=559.911
        k1=-0.0573912
        k2=0.0297346
        p1=-6.4528e-05
        p2=7.55307e-05
        k3=-0.0122131

        [LEFT_CAM_HD]
        fx=532.115
        fy=531.955
        cx=640.26
        cy=359.8225
        k1=-0.0581297
        k2=0.0312264
        p1=-0.000176497
        p2=0.000368961
        k3=-0.0127218

        [RIGHT_CAM_HD]
        fx=531.88
        fy=531.775
        cx=644.835
        cy=361.9555
        K1=-0.0573912
        k2=0.0297346
        p1=-6.4528e-05
        p2=7.55307e-05
        k3=-0.0122131

        [LEFT_CAM_VGA]
        fx=279.36
        fy=279.28
        cx=336.14
        cy=188.91
        k1=-0.0581297
        k2=0.0312264
        p1=-0.000176497
        p2=0.000368961
        k3=-0.0127218

        [RIGHT_CAM_VGA]
        fx=279.24
        fy=279.18
        cx=338.54
        cy=190.03
        k1=-0.0573912
        k2=0.0297346
        p1=-6.4528e-05
        p2=7.55307e-05
        k3=-0.0122131

        [STEREO]
        Baseline=119.983
        TY=0.0938153
        TZ=-0.337539
        CV_2K=0.00285731
        CV_FHD=0.00285731
        CV_HD=0.00285731
        CV_VGA=0.00285731
        RX_2K=-0.00219541
        RX_FHD=-0.00219541
        RX_HD=-0.00219541
        RX_VGA=-0.00219541
        RZ_2K=0.000856436
        RZ_FHD=0.000856436
        RZ_HD=0.000856436
        RZ_VGA=0.000856436

        [MISC]
        Sensor_ID=1
        """;

    [Fact]
    public void ReadsEveryResolutionAndTheStereoSectionInMetresAndRadians()
    {
        var calibration = ZedCalibration.Parse(FactoryFile, "SN31234567.conf");
        Assert.Equal(ZedResolution.All.ToHashSet(), calibration.Resolutions.ToHashSet());
        var hd = calibration.For(ZedResolution.HD720);
        Assert.Equal((1280, 720), (hd.Width, hd.Height));
        Assert.Equal((532.115, 531.955, 640.26, 359.8225), (hd.Left.Fx, hd.Left.Fy, hd.Left.Cx, hd.Left.Cy));
        Assert.Equal([-0.0573912, 0.0297346, -6.4528e-05, 7.55307e-05, -0.0122131], hd.Right.Distortion); // K1: keys are case-insensitive
        // [RX, CV, RZ] is the Rodrigues vector (about x, y, z).
        Assert.Equal([-0.00219541, 0.00285731, 0.000856436], hd.Rotation);
        // Millimetres -> metres, as OpenCV's left-to-right translation: (-Baseline, TY, TZ); TY/TZ are not per resolution.
        Assert.Equal([-0.119983, 0.0000938153, -0.000337539], hd.TranslationM, new Tolerance(1e-12));
        Assert.Equal(0.1199835, hd.BaselineM, 7);
        Assert.Equal(279.36, calibration.ForSize(672, 376).Left.Fx);
        Assert.Equal(2208, calibration.For(ZedResolution.HD2K).Width);
    }

    [Fact]
    public void RectifiedBaselineAndIntrinsicsFollowTheFile()
    {
        var calibration = ZedCalibration.Parse(FactoryFile, "SN1.conf");
        foreach (var resolution in ZedResolution.All)
        {
            var raw = calibration.For(resolution);
            using var rectifier = new StereoRectifier(raw);
            var camera = rectifier.Camera;
            Assert.Equal(0.1199835, camera.BaselineM, 6); // the rectified baseline is |T|, in metres
            Assert.InRange(camera.Intrinsics.Fx, 0.95 * raw.Left.Fx, raw.Left.Fx); // alpha 0 zooms in a little so every pixel is valid
            Assert.Equal(camera.Intrinsics.Fx, camera.Intrinsics.Fy);
            Assert.InRange(camera.Intrinsics.Cx, 0.45 * raw.Width, 0.55 * raw.Width);
        }
        // Distortion that cannot be inverted out to the image corners would give a nonsense rectification.
        var wild = Wild(calibration.For(ZedResolution.VGA));
        Assert.Contains("rectification of 672x376 is degenerate", Assert.Throws<InvalidDataException>(() => new StereoRectifier(wild)).Message);

        static StereoCalibration Wild(StereoCalibration c) => c with
        {
            Left = new PinholeCamera(266.0575, 265.9775, 335.63, 187.41125, [-0.0581297, 0.0312264, -0.000176497, 0.000368961, -0.0127218]),
            Right = new PinholeCamera(265.94, 265.8875, 337.9175, 188.47775, [-0.0573912, 0.0297346, -6.4528e-05, 7.55307e-05, -0.0122131]),
        };
    }

    [Theory]
    [InlineData("[LEFT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\n[RIGHT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\n", "SN9.conf: missing section [STEREO]")]
    [InlineData("[LEFT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\nk1=0\n[STEREO]\nBaseline=120\nTY=0\nTZ=0\nCV_HD=0\nRX_HD=0\nRZ_HD=0\n", "SN9.conf: missing section [RIGHT_CAM_HD]")]
    [InlineData("[STEREO]\nBaseline=120\n", "SN9.conf: no camera sections")]
    [InlineData("[STEREO]\nBaseline=1\n[LEFT_CAM_HD]\nfx=5x2\n", "SN9.conf line 4: [LEFT_CAM_HD] fx = '5x2' is not a number")]
    [InlineData("[LEFT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\nk1=0\n[RIGHT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\nk1=0\n[STEREO]\nBaseline=120\nTY=0\nTZ=0\nCV_HD=0\nRX_HD=0\n", "SN9.conf: [STEREO] has no RZ_HD")]
    [InlineData("[LEFT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\n[RIGHT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\n[STEREO]\nBaseline=120\nTY=0\nTZ=0\nCV_HD=0\nRX_HD=0\nRZ_HD=0\n",
        "SN9.conf: no distortion for [LEFT_CAM_HD] (k1, k2, p1, p2, k3 there, or a [LEFT_DISTO] section)")]
    [InlineData("[LEFT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\nk1=0\n[RIGHT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\nk1=0\n[STEREO]\nBaseline=120\nTY=0\nTZ=0\nCV_HD=0.1\nRY_HD=0.2\nRX_HD=0\nRZ_HD=0\n",
        "SN9.conf: [STEREO] has both CV_HD = 0.1 and RY_HD = 0.2; they name the same angle")]
    [InlineData("[LEFT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\nk1=0\n[RIGHT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\nk1=0\n[STEREO]\nBaseline=120\nTY=0\nTZ=0\nRX_HD=0\nRZ_HD=0\n",
        "SN9.conf: [STEREO] has no CV_HD (or RY_HD)")]
    [InlineData("[STEREO]\nBaseline=1\n[LEFT_CAM_HD]\nfx=1\nfy=1\ncx=1\ncy=1\n[LEFT_DISTO]\nk1=0.1\nk2=0\nk3=0\nk4=0\nk5=0\n", "SN9.conf: [LEFT_DISTO] has k5/k6 but no p1/p2")]
    [InlineData("fx=1\n", "SN9.conf line 1: cannot read 'fx=1'")]
    public void ABadFileIsOneLineNamingFileAndProblem(string text, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => ZedCalibration.Parse(text, "SN9.conf"));
        Assert.StartsWith(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    // The layout stereolabs/zedx-one-capture's stereo_calibration/main.cpp writes (WriteConfFile): fx fy cx cy
    // per resolution, the distortion once per eye, "key = value", and T = (-Baseline, TY, TZ) of stereoCalibrate.
    const string CalibrationToolFile = """
        [LEFT_CAM_FHD]
        fx = 1061.5
        fy = 1061.2
        cx = 963.25
        cy = 551.75

        [RIGHT_CAM_FHD]
        fx = 1060.9
        fy = 1060.7
        cx = 958.5
        cy = 548.0

        [LEFT_DISTO]
        k1 = -0.41
        k2 = 0.21
        p1 = 0.0003
        p2 = -0.0002
        k3 = -0.05
        k4 = -0.02
        k5 = 0.01
        k6 = 0.004

        [RIGHT_DISTO]
        k1 = -0.4
        k2 = 0.2
        p1 = 0.0001
        p2 = 0.0002
        k3 = -0.04
        k4 = 0
        k5 = 0
        k6 = 0

        [STEREO]
        Baseline = 120.12
        TY = -0.31
        TZ = -0.234
        RY_FHD = 0.0021
        RX_FHD = -0.0013
        RZ_FHD = 0.0007

        [MISC]
        Sensor_ID = 1
        """;

    [Fact]
    public void ReadsTheCalibrationToolsLayoutWithItsDistortionSectionsAndTheRySpelling()
    {
        var fhd = ZedCalibration.Parse(CalibrationToolFile, "SN_ZEDONES.conf").For(ZedResolution.HD1080);
        Assert.Equal((1061.5, 1061.2, 963.25, 551.75), (fhd.Left.Fx, fhd.Left.Fy, fhd.Left.Cx, fhd.Left.Cy));
        Assert.Equal([-0.41, 0.21, 0.0003, -0.0002, -0.05, -0.02, 0.01, 0.004], fhd.Left.Distortion); // OpenCV order: k1 k2 p1 p2 k3 k4 k5 k6
        Assert.Equal([-0.4, 0.2, 0.0001, 0.0002, -0.04], fhd.Right.Distortion);
        Assert.Equal((LensModel.RadialTangential, LensModel.RadialTangential), (fhd.Left.Lens, fhd.Right.Lens));
        Assert.Equal([-0.0013, 0.0021, 0.0007], fhd.Rotation);
        Assert.Equal([-0.12012, -0.00031, -0.000234], fhd.TranslationM, new Tolerance(1e-12));
    }

    [Fact]
    public void AFisheyeDistortionSectionIsReadAsFisheyeAndRectifies()
    {
        // The newer Stereolabs calibration tool writes k1..k4 without p1/p2 for fisheye lenses (printDisto).
        var text = CalibrationToolFile
            .Replace("k1 = -0.41\nk2 = 0.21\np1 = 0.0003\np2 = -0.0002\nk3 = -0.05\nk4 = -0.02\nk5 = 0.01\nk6 = 0.004", "k1 = 0.012\nk2 = -0.004\nk3 = 0.0011\nk4 = -0.0002")
            .Replace("k1 = -0.4\nk2 = 0.2\np1 = 0.0001\np2 = 0.0002\nk3 = -0.04\nk4 = 0\nk5 = 0\nk6 = 0", "k1 = 0.011\nk2 = -0.0035\nk3 = 0.001\nk4 = -0.0001");
        var fhd = ZedCalibration.Parse(text, "SN_FISHEYE.conf").For(ZedResolution.HD1080);
        Assert.Equal((LensModel.Fisheye, LensModel.Fisheye), (fhd.Left.Lens, fhd.Right.Lens));
        Assert.Equal([0.012, -0.004, 0.0011, -0.0002], fhd.Left.Distortion);
        using var rectifier = new StereoRectifier(fhd);
        Assert.Equal(0.12012, rectifier.Camera.BaselineM, 4);
        Assert.InRange(rectifier.Camera.Intrinsics.Cx, 0.4 * 1920, 0.6 * 1920);
        var mixed = fhd with { Right = fhd.Right with { Lens = LensModel.RadialTangential } };
        Assert.Contains("a stereo pair needs one model", Assert.Throws<InvalidDataException>(() => new StereoRectifier(mixed)).Message);
    }

    [Fact]
    public void AMissingFileOrResolutionIsNamed()
    {
        Assert.Contains("/nowhere/SN1.conf: calibration file not found", Assert.Throws<FileNotFoundException>(() => ZedCalibration.Load("/nowhere/SN1.conf")).Message);
        var onlyHd = ZedCalibration.Parse(FactoryFile.Split("[LEFT_CAM_VGA]")[0].Replace("[LEFT_CAM_2K]", "[OLD_2K]").Replace("[RIGHT_CAM_2K]", "[OLD_R2K]")
            .Replace("[LEFT_CAM_FHD]", "[X]").Replace("[RIGHT_CAM_FHD]", "[Y]") + FactoryFile[FactoryFile.IndexOf("[STEREO]")..], "SN2.conf");
        Assert.Equal([ZedResolution.HD720], onlyHd.Resolutions);
        Assert.Contains("SN2.conf: no calibration for VGA", Assert.Throws<InvalidDataException>(() => onlyHd.For(ZedResolution.VGA)).Message);
        Assert.Contains("640x480 per eye is not a ZED-2i resolution", Assert.Throws<InvalidDataException>(() => onlyHd.ForSize(640, 480)).Message);
    }

    [Fact]
    public void ATrainingSizeCropsToItsAspectAndKeepsProjectionsConsistent()
    {
        var camera = new StereoCamera(1280, 720, new CameraIntrinsics(520f, 520f, 640.5f, 360.2f), 0.12f);
        var size = new OutputSize(256, 256);
        Assert.Equal(new OpenCvSharp.Rect(280, 0, 720, 720), size.CropOf(1280, 720));
        var resized = size.Apply(camera);
        Assert.Equal(0.12f, resized.BaselineM);
        // A 3D point projects to pixel p in the source; crop then resize must move p where the new K projects it.
        foreach (var (x, y, z) in new[] { (0.3, -0.2, 2.0), (-0.5, 0.4, 3.5), (0.0, 0.0, 1.0) })
        {
            double u = 520 * x / z + 640.5, v = 520 * y / z + 360.2;
            double s = 256.0 / 720;
            double expectedU = (u - 280 + 0.5) * s - 0.5, expectedV = (v + 0.5) * s - 0.5;
            Assert.Equal(expectedU, resized.Intrinsics.Fx * x / z + resized.Intrinsics.Cx, 3);
            Assert.Equal(expectedV, resized.Intrinsics.Fy * y / z + resized.Intrinsics.Cy, 3);
        }
        Assert.Throws<ArgumentException>(() => OutputSize.Parse("256"));
    }

    sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;
        public int GetHashCode(double value) => 0;
    }
}
